import APModel
import Foundation
import XCTest

/// Steps of a case's journey for the end-to-end tests (issue 25): key events and stages as
/// pat records them, mo countersigning where the criteria ask.
extension Harness {
    /// The Placements Team, social care and two establishments.
    func addJourneyOrganisations() throws {
        for (code, name, type) in [("YCS-PT", "YCS Placements Team", "placements"),
                                   ("LA-SC", "Barnet Children's Services", "social-care"),
                                   ("WETHERBY", "HMYOI Wetherby", "establishment"),
                                   ("COOKHAM", "HMYOI Cookham Wood", "establishment")] {
            try expectOK(["org", "add", code, "--name", name, "--type", type], as: "alex")
        }
    }

    /// The rules of the obligations open ('ap due --json').
    func owedRules() throws -> [String] {
        try expectOK(["due", "--json"]).json?.arrayValue?.compactMap { $0["rule"]?.stringValue } ?? []
    }

    func keyEvent(_ args: [String], case id: String = "YP-0001") throws {
        try expectOK(["record", id] + args, as: "pat")
    }

    func sendStage(to: String, case id: String = "YP-0001") throws {
        try expectOK(["stage", "send", id, "--to", to, "--out", dir + "/outbox"], as: "pat")
    }

    /// A stage of `kind` started, answered, submitted and, where asked, countersigned: a first
    /// assessment with its screens, a custody stage with the ratings Placements decides from.
    func completeStage(_ kind: String, _ answers: [String], case id: String = "YP-0001") throws {
        try expectOK(["stage", "new", id, "--kind", kind, "--no-pull-forward"], as: "pat")
        if StageRules.screenedKinds.contains(kind) { try screens(id) }
        let custody = ["post-court-report", "bail-recommendation", "entering-custody", "placement-notification"]
        let rated = custody.contains(kind) && !answers.contains { $0.hasPrefix("rosh=") }
        try expectOK(["stage", "set", id] + answers + (rated ? ["rosh=medium", "saw=medium"] : []), as: "pat")
        if try expectOK(["stage", "submit", id], as: "pat").stdout.contains("awaits countersignature") {
            try expectOK(["countersign", id], as: "mo")
        }
    }
}
