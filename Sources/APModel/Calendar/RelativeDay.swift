/// Days as people type them in filters: a date, `today`, `yesterday`, `tomorrow`, or a
/// number of days from today, `+3` or `-7` (issue 26).
public enum RelativeDay {
    public static func parse(_ text: String, today: Day) -> Day? {
        switch text.lowercased() {
        case "today": return today
        case "yesterday": return today.adding(days: -1)
        case "tomorrow": return today.adding(days: 1)
        default: break
        }
        let digits = text.dropFirst()
        if let sign = text.first, sign == "+" || sign == "-", !digits.isEmpty, digits.allSatisfy(\.isASCII),
            let n = Int(digits), n <= 36_600
        {
            return today.adding(days: sign == "+" ? n : -n)
        }
        return Day(text)
    }
}
