@testable import APModel
import XCTest

/// Builds histories by hand for rule and derivation tests.
struct Fixture {
    var config = Config(yotCode: "BARNET", yotName: "Barnet YJS", admin: User(id: "alex", name: "Alex", roles: [.admin]))
    var events: [Event] = []
    var clock = Timestamp("2026-11-02T09:00:00.000Z")!
    var counter = 0

    init() {
        for (id, roles) in [("pat", [Role.practitioner]), ("kim", [.practitioner]), ("mo", [.manager]),
                            ("lee", [.manager, .practitioner]), ("bo", [.businessSupport])] {
            config.users[id] = User(id: id, name: id.capitalized, roles: roles)
        }
        // Rule tests set the ratings they are about; required ratings, the kinds always
        // countersigned and the entries a high rating rests on have tests of their own.
        config.requiredRatings = [:]
        config.countersignKinds = []
        config.policy.ratingEvidence = "off"
        config.policy.firstAssessmentScreens = "off"
    }

    func actor(_ id: String) -> Actor { Actor(user: config.users[id]!, osUser: "test") }

    var state: CaseState { get throws { try CaseState.derive(id: "YP-1", events: events) } }

    /// Applies a rule as the named user, one minute after the previous event.
    mutating func act(_ user: String, _ rule: (CaseState, Actor) throws -> Change) throws {
        let change = try rule(try events.isEmpty ? CaseState(id: "YP-1", createdAt: clock) : state, actor(user))
        clock = clock.adding(millis: 60_000)
        counter += 1
        events.append(Event(id: String(format: "e%04d", counter), at: clock, by: user, osUser: "test", type: change.type, payload: change.payload))
    }

    mutating func newCase(lookedAfter: Bool = false) throws {
        try act("bo") { _, _ in try CaseRules.create(name: "Jordan", dob: "2009-03-14", lookedAfter: lookedAfter, today: Day("2026-11-02")!) }
    }

    mutating func startStage(_ kind: String = "psr", owner: String = "pat", by: String? = nil, pull: Bool = true) throws {
        let config = self.config
        let id = "st-\(counter)"
        try act(by ?? owner) { s, a in
            try StageRules.start(
                s, kind: try config.stageKind(kind), owner: config.users[owner]!, options: .init(pullForward: pull),
                stageID: id,
                actor: a, config: config)
        }
    }

    mutating func set(_ pairs: [(String, String)], by: String = "pat") throws {
        let config = self.config
        try act(by) { s, a in
            try StageRules.answer(
                s, answers: pairs.map { (key: $0.0, value: $0.1) }, actor: a, config: config,
                catalogue: config.catalogue)
        }
    }

    /// Adds an entry to list part `part`, with id `en-N` for the N-th event.
    mutating func add(_ part: String, _ fields: [(String, String)], by: String = "pat") throws {
        let config = self.config
        let id = "en-\(counter + 1)"
        try act(by) { s, a in
            try StageRules.addEntry(
                s, part: part, fields: fields.map { (name: $0.0, value: $0.1) }, entryID: id, actor: a,
                config: config, catalogue: config.catalogue)
        }
    }

    mutating func submit(by: String = "pat") throws {
        let config = self.config
        try act(by) { s, a in try StageRules.submit(s, actor: a, config: config) }
    }
}

func XCTAssertThrowsAPError<T>(_ expression: @autoclosure () throws -> T, _ kind: String, _ message: String,
                               file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), file: file, line: line) { error in
        guard let e = error as? APError else { return XCTFail("not an APError: \(error)", file: file, line: line) }
        XCTAssertEqual(e.kind, kind, e.message, file: file, line: line)
        XCTAssertTrue(e.message.contains(message), "'\(e.message)' lacks '\(message)'", file: file, line: line)
    }
}
