import APModel

/// Shell completion scripts, generated from the command registry so they never drift.
enum CompletionsCommand {
    static let command = Command(
        path: ["completions"], summary: "print a shell completion script: bash, zsh or fish",
        usage: "bash|zsh|fish",
        details: """
            Completes commands, options, case ids, stage kinds, user ids, sections, question
            keys (after 'ap stage set CASE'), organisations (--to of a send, --at), organisation
            types and key events (after 'ap record CASE'). Install with e.g.
              ap completions bash > /etc/bash_completion.d/ap
              ap completions zsh > "${fpath[1]}/_ap"
              ap completions fish > ~/.config/fish/completions/ap.fish
            The scripts ask 'ap completions --list WHAT' for the current repository's cases,
            kinds, users, sections, questions, orgs, org-types and events.
            """,
        options: [Opt(long: "list", value: "WHAT",
                      help: "print cases, kinds, users, sections, questions, orgs, org-types, events, settings or "
                        + "transfers, one per line")],
        arguments: 0...1,
        examples: ["source <(ap completions bash)"],
        run: { inv in
            if let what = inv.value("list") { return try list(what, inv.context) }
            guard let shell = inv.arguments.first else { throw APError.usage("name a shell: bash, zsh or fish") }
            switch shell {
            case "bash": return Output(text: bash, json: .string(bash))
            case "zsh": return Output(text: ZshCompletion.script, json: .string(ZshCompletion.script))
            case "fish": return Output(text: fish, json: .string(fish))
            default: throw APError.usage("unknown shell '\(shell)'; shells: bash, zsh, fish")
            }
        })

    static func list(_ what: String, _ context: Context) throws -> Output {
        let items: [String]
        switch what {
        case "cases": items = try context.repository().caseFiles().map(\.id)
        case "kinds": items = try context.repository().loadConfig().stageKinds.map(\.slug)
        case "users": items = try context.repository().loadConfig().users.keys.sorted()
        case "sections": items = ShippedCatalogue.sections.map(\.slug)
        case "questions": items = try context.repository().loadConfig().catalogue.questions.map(\.key)
        case "orgs":
            let repo = try context.repository(), config = try repo.loadConfig()
            items = config.organisations.map(\.code) + (try repo.yotsInTransfers(here: config.yotCode)).map(\.code)
        case "org-types": items = Organisation.Kind.allCases.map(\.rawValue)
        case "events": items = KeyEventKind.all.map(\.slug)
        case "settings": items = Policy.settings.map(\.key) + ["signatures", "logins"]
        case "transfers":
            items = try context.repository().incomingTransferIDs()
        default:
            throw APError.usage(
                "--list takes cases, kinds, users, sections, questions, orgs, org-types, events, settings or transfers")
        }
        let unique = Array(Set(items)).sorted()
        return Output(text: unique.joined(separator: "\n"), json: .array(unique.map(JSONValue.string)))
    }

    /// Commands whose first argument is an existing case.
    static var takesCase: [Command] { Registry.commands.filter { $0.usage.hasPrefix("CASE") } }

    /// Commands whose arguments are files.
    static let takesFiles: Set<String> = ["batch", "merge", "transfer import"]

    /// After the case: 1 for `KEY=VALUE` arguments, 2 for bare keys, 0 for neither.
    static func keyArguments(_ c: Command) -> Int {
        c.usage.hasPrefix("CASE KEY=VALUE") ? 1 : c.usage.hasPrefix("CASE KEY") ? 2 : 0
    }

    /// Words that follow `prefix` among the commands' paths, once each, in registry order.
    static func nextWords(_ prefix: [String]) -> [String] {
        var seen: [String] = []
        for c in Registry.commands where c.path.count > prefix.count && Array(c.path.prefix(prefix.count)) == prefix {
            if !seen.contains(c.path[prefix.count]) { seen.append(c.path[prefix.count]) }
        }
        return seen
    }

    static func options(_ c: Command) -> String { c.allOptions.map(\.display).joined(separator: " ") }

    static var bash: String {
        let top = Array(Set(Registry.commands.map { $0.path[0] })).sorted().joined(separator: " ")
        var cases = ""
        for c in Registry.commands.sorted(by: { $0.path.count > $1.path.count }) {
            let word = c.path.joined(separator: " ")
            cases += "    \"\(word)\"*) opts=\"\(options(c))\"; casearg=\(c.usage.hasPrefix("CASE") ? 1 : 0); "
                + "keyarg=\(keyArguments(c)); depth=\(c.path.count); "
                + "files=\(takesFiles.contains(word) ? 1 : 0); found=1 ;;\n"
        }
        // Options that take a value, from the declarations: their values are not command words.
        let valued = Set(
            (Registry.commands.flatMap(\.options) + Registry.commonOptions).filter { $0.value != nil }
                .flatMap { o in [o.display] + (o.short.map { ["-\($0)"] } ?? []) }
        ).sorted().joined(separator: "|")
        var groups = ""
        let prefixes = Set(Registry.commands.flatMap { c in (1..<c.path.count).map { Array(c.path.prefix($0)) } })
        for prefix in prefixes.sorted(by: { $0.joined(separator: " ") < $1.joined(separator: " ") }) {
            let subs = nextWords(prefix).joined(separator: " ")
            groups += "    \"\(prefix.joined(separator: " "))\") COMPREPLY=($(compgen -W \"\(subs)\" -- \"$cur\")); return ;;\n"
        }
        return """
            # bash completion for ap, generated by 'ap completions bash'
            # The words of 'ap completions --list WHAT' that begin the word being completed.
            _ap_list() { compgen -W "$(ap "${repo[@]}" completions --list "$1" 2>/dev/null)" -- "$cur"; }
            _ap() {
              local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
              local words=() w i opts="" casearg=0 keyarg=0 depth=0 files=0 found=0 repo=()
              for ((i = 1; i < COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                # -C DIR is honoured when asking ap for case ids and users.
                if [[ $w == -C ]]; then repo=(-C "${COMP_WORDS[i+1]}"); fi
                case "$w" in \(valued)) ((i++)); continue ;; -*) continue ;; esac
                words+=("$w")
              done
              case "$prev" in
                --kind)
                  if [[ "${words[*]}" == "transfer send"* ]]; then
                    COMPREPLY=($(compgen -W "complete caretaking" -- "$cur"))
                  else
                    COMPREPLY=($(_ap_list kinds))
                  fi
                  return ;;
                --to)
                  if [[ "${words[*]}" == "stage send"* || "${words[*]}" == "transfer send"* ]]; then
                    COMPREPLY=($(_ap_list orgs))
                  else
                    COMPREPLY=($(_ap_list users))
                  fi
                  return ;;
                --at) COMPREPLY=($(_ap_list orgs)); return ;;
                --type) if [[ "${words[*]}" == "org "* ]]; then COMPREPLY=($(_ap_list org-types)); return; fi ;;
                --case) COMPREPLY=($(_ap_list cases)); return ;;
                --as|--owner|--co|--cover|--manager) COMPREPLY=($(_ap_list users)); return ;;
                --grade) COMPREPLY=($(compgen -W "\(Grade.allCases.map(\.rawValue).joined(separator: " "))" -- "$cur"))
                  return ;;
                --gender) COMPREPLY=($(compgen -W "\(Gender.values.joined(separator: " "))" -- "$cur")); return ;;
                --section) COMPREPLY=($(_ap_list sections)); return ;;
                --status) COMPREPLY=($(compgen -W "\(CaseFilter.statuses.joined(separator: " "))" -- "$cur")); return ;;
                --held) COMPREPLY=($(compgen -W "\(CaseFilter.holdings.joined(separator: " "))" -- "$cur")); return ;;
                --for) COMPREPLY=($(compgen -W "\(Audience.allCases.map(\.rawValue).joined(separator: " "))" -- "$cur"))
                  return ;;
                -C|-o|--output|--with|--out) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                --from) if [[ "${words[*]}" == "stage set"* ]]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi ;;
              esac
              if [[ ${#words[@]} -eq 0 ]]; then
                COMPREPLY=($(compgen -W "\(top) --help --version -C --as" -- "$cur")); return
              fi
              case "${words[*]}" in
            \(cases)  esac
              if [[ $found -eq 0 ]]; then
                case "${words[*]}" in
            \(groups)    esac
              fi
              if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$opts" -- "$cur"))
              elif [[ ${words[0]} == record && ${#words[@]} -eq 2 ]]; then
                COMPREPLY=($(_ap_list events))
              elif [[ "${words[*]}" == "config set" ]]; then
                COMPREPLY=($(_ap_list settings))
              elif [[ "${words[*]}" == "transfer accept" || "${words[*]}" == "transfer reject" ]]; then
                COMPREPLY=($(_ap_list transfers))
              elif [[ "${words[*]}" == "report" ]]; then
                COMPREPLY=($(compgen -W "\(Reports.names.joined(separator: " "))" -- "$cur"))
              elif [[ $files -eq 1 ]]; then
                COMPREPLY=($(compgen -f -- "$cur"))
              elif [[ $keyarg -ne 0 && ${#words[@]} -gt $depth ]]; then
                # Question keys after the case: 'key=' for answers, bare keys to clear.
                local keys
                keys=$(ap "${repo[@]}" completions --list questions 2>/dev/null)
                if [[ $keyarg -eq 1 ]]; then
                  COMPREPLY=($(compgen -W "$keys" -S = -- "$cur"))
                  compopt -o nospace 2>/dev/null
                else
                  COMPREPLY=($(compgen -W "$keys" -- "$cur"))
                fi
              elif [[ $casearg -eq 1 ]]; then
                COMPREPLY=($(_ap_list cases))
              fi
            }
            complete -F _ap ap

            """
    }

    /// What fish offers after option `o` of command `c`: fixed words, or a list ap prints.
    static func fishValues(_ o: Opt, of c: Command) -> String? {
        func list(_ what: String) -> String { "(ap completions --list \(what) 2>/dev/null)" }
        let sends = c.name == "stage send" || c.name == "transfer send"
        switch o.long {
        case "kind": return c.name == "transfer send" ? "complete caretaking" : list("kinds")
        case "to": return list(sends ? "orgs" : "users")
        case "owner", "co", "cover", "manager": return list("users")
        case "at": return list("orgs")
        case "type": return c.path[0] == "org" ? list("org-types") : nil
        case "case": return list("cases")
        case "section": return list("sections")
        case "status": return c.name == "case list" ? CaseFilter.statuses.joined(separator: " ") : nil
        case "held": return CaseFilter.holdings.joined(separator: " ")
        case "for": return Audience.allCases.map(\.rawValue).joined(separator: " ")
        case "grade": return Grade.allCases.map(\.rawValue).joined(separator: " ")
        case "gender": return Gender.values.joined(separator: " ")
        default: return nil
        }
    }

    static var fish: String {
        var out = "# fish completion for ap, generated by 'ap completions fish'\n"
        out += "complete -c ap -f\n"
        // Inside fish's single quotes only \\ and \' are escapes: apostrophes are kept.
        func described(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        }
        // Each command word and subcommand on its own line, with what it does.
        let top = Array(Set(Registry.commands.map { $0.path[0] })).sorted()
        for word in top {
            let summary = Registry.groupSummaries[word] ?? Registry.lookup([word])?.summary ?? ""
            out += "complete -c ap -n '__fish_use_subcommand' -a '\(word)' -d '\(described(summary))'\n"
        }
        for group in Set(Registry.commands.filter { $0.path.count > 1 }.map { $0.path[0] }).sorted() {
            let subs = nextWords([group])
            let condition = "__fish_seen_subcommand_from \(group); and not __fish_seen_subcommand_from "
                + subs.joined(separator: " ")
            for word in subs {
                let summary =
                    Registry.groupSummaries["\(group) \(word)"] ?? Registry.lookup([group, word])?.summary ?? ""
                out += "complete -c ap -n '\(condition)' -a '\(word)' -d '\(described(summary))'\n"
            }
        }
        for c in Registry.commands {
            let condition = c.path.map { "__fish_seen_subcommand_from \($0)" }.joined(separator: "; and ")
            for o in c.options {
                let long = o.long.count == 1 ? "-s \(o.long)" : "-l \(o.long)"
                var line = "complete -c ap -n '\(condition)' \(long)"
                // Values that are not paths: no file names among them.
                if let value = o.value { line += ["FILE", "DIR", "PATH"].contains(value) ? " -r -F" : " -r -f" }
                if let values = fishValues(o, of: c) { line += " -a '\(values)'" }
                out += line + " -d '\(described(o.help))'\n"
            }
            if c.usage.hasPrefix("CASE") {
                out += "complete -c ap -n '\(condition)' -a '(ap completions --list cases 2>/dev/null)'\n"
            }
            if c.name == "report" {
                out += "complete -c ap -n '\(condition)' -a '\(Reports.names.joined(separator: " "))'\n"
            }
            if c.name == "config set" {
                out += "complete -c ap -n '\(condition)' -a '(ap completions --list settings 2>/dev/null)'\n"
            }
            if c.name == "transfer accept" || c.name == "transfer reject" {
                out += "complete -c ap -n '\(condition)' -a '(ap completions --list transfers 2>/dev/null)'\n"
            }
            if c.name == "record" {
                out += "complete -c ap -n '\(condition); and test (count (commandline -opc)) -ge 3' "
                    + "-a '(ap completions --list events 2>/dev/null)'\n"
            }
            if takesFiles.contains(c.name) { out += "complete -c ap -n '\(condition)' -F\n" }
            if keyArguments(c) != 0 {
                // Quotes escaped: the command sits inside the single-quoted argument of -a.
                let suffix = keyArguments(c) == 1 ? #" | string replace -r \'$\' \'=\'"# : ""
                out += "complete -c ap -n '\(condition)' -a '(ap completions --list questions 2>/dev/null\(suffix))'\n"
            }
        }
        for o in Registry.commonOptions {
            let values = o.long == "as" ? " -a '(ap completions --list users 2>/dev/null)'"
                : o.long == "C" ? " -a '(__fish_complete_directories)'" : ""
            out += "complete -c ap \(o.long.count == 1 ? "-s" : "-l") \(o.long)\(o.value != nil ? " -r" : "")\(values)"
                + " -d '\(described(o.help))'\n"
        }
        return out
    }
}
