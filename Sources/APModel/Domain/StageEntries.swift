/// Replaying a list part's entry events (`stage.entry-added`, `-edited`, `-removed`).
/// An edit or removal names the entry by id, never by its number, so that two copies that
/// each added entries still merge to the right ones. An edit or removal of an entry another
/// copy removed stays in the history without effect.
extension Stage {
    mutating func applyEntry(_ e: Event, _ p: JSONReader) throws {
        let part = try p.string("part"), id = try p.string("entry")
        writers.insert(e.by)
        var list = entries[part] ?? []
        let index = list.firstIndex { $0.id == id }
        switch e.type {
        case EventType.entryAdded:
            guard index == nil else { throw APError.data("\(p.path): entry '\(id)' of '\(part)' added twice") }
            list.append(Entry(id: id, fields: try p.stringFields("fields"), at: e.at, by: e.by))
        case EventType.entryEdited:
            guard let i = index else { return }
            for (name, value) in try p.stringFields("fields") {
                list[i].fields[name] = value.isEmpty ? nil : value
            }
            list[i].changedAt = e.at
            list[i].changedBy = e.by
        default:
            guard let i = index else { return }
            list.remove(at: i)
        }
        entries[part] = list.isEmpty ? nil : list
    }
}
