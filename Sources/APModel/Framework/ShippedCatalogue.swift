/// The AssetPlus framework as ap ships it: sections, modules, which stage kinds hold
/// them, and the questions (domain.md, second part, "The AssetPlus framework as data").
/// Labels are our own words for the questions the seeds name; each group cites its source.
/// A repository adds local questions, kinds' sections and referral targets in its config.
public enum ShippedCatalogue {
    public static let sections: [Section] = [
        Section(slug: "core-record", name: "Core Record"),
        Section(slug: "pfs", name: "Personal, Family and Social Factors"),
        Section(slug: "screening", name: "Specialist screening"),
        Section(slug: "oasb", name: "Offending and Anti-social Behaviour"),
        Section(slug: "ffc", name: "Foundations for Change"),
        Section(slug: "sa", name: "Self-assessment"),
        Section(slug: "ec", name: "Explanations and Conclusions"),
        Section(slug: "pp", name: "Pathways and Planning"),
        Section(slug: "custody", name: "Custody module", isModule: true),
        Section(slug: "bail", name: "Bail and Remand module", isModule: true),
        Section(slug: "leaving-custody", name: "Leaving Custody module", isModule: true),
        Section(slug: "transfer", name: "Transfer YOT to YOT module", isModule: true),
        Section(slug: "rj", name: "Restorative Justice module", isModule: true),
        Section(slug: "psr", name: "Pre-Sentence Report module", isModule: true),
        Section(slug: "referral-order", name: "Referral Order module", isModule: true),
    ]

    /// The full assessments: every section and the Restorative Justice module (003 §1.7).
    public static let assessmentKinds = [
        "start-of-intervention", "review", "psr", "referral-order-report", "case-closure",
    ]
    static let allSections = ["core-record", "pfs", "screening", "oasb", "ffc", "sa", "ec", "pp", "rj"]

    /// What the YCS Placements Team and an establishment decide from beside the custody module:
    /// health and self-harm, the screens, the ratings with safety and wellbeing and risk of
    /// serious harm (003 §§2.3, 2.5, 3.6; 001 §11.2.1; issue 24).
    static let widerAssessment = ["pfs", "screening", "ec"]

    /// Sections and modules by stage kind (001 §§11.2, 11.22; 003 §§3, 6). Prevention / out of
    /// court uses the same framework, so it holds every section too (it requires no ratings).
    public static let kindSections: [String: [String]] = [
        "start-of-intervention": allSections,
        "review": allSections,
        "case-closure": allSections,
        "psr": allSections + ["custody", "psr"],
        "referral-order-report": allSections + ["referral-order"],
        "prevention": allSections,
        "bail-recommendation": widerAssessment + ["custody", "bail"],
        "post-court-report": widerAssessment + ["custody"],
        "placement-notification": widerAssessment + ["custody"],
        "entering-custody": widerAssessment + ["custody"],
        "pre-release": ["leaving-custody"],
        "transfer-yot-to-yot": ["transfer"],
    ]

    /// Sections a kind added by a repository holds unless its config says otherwise.
    public static let defaultSectionsForNewKinds = allSections

    private static func text(_ key: String, _ section: String, _ label: String) -> Question {
        Question(key: key, label: label, section: section, type: .text)
    }
    private static func yesNo(_ key: String, _ section: String, _ label: String, referral: String? = nil) -> Question {
        Question(key: key, label: label, section: section, type: .yesNo, referral: referral)
    }
    private static func rating(_ key: String, _ section: String, _ label: String) -> Question {
        Question(key: key, label: label, section: section, type: .rating)
    }
    private static func date(_ key: String, _ section: String, _ label: String) -> Question {
        Question(key: key, label: label, section: section, type: .date)
    }
    private static func choice(_ key: String, _ section: String, _ label: String, _ values: [String]) -> Question {
        var q = Question(key: key, label: label, section: section, type: .choice)
        q.values = values
        return q
    }
    private static func list(_ key: String, _ section: String, _ label: String, _ fields: [EntryField]) -> Question {
        var q = Question(key: key, label: label, section: section, type: .list)
        q.fields = fields
        return q
    }

    private static func number(_ key: String, _ label: String, _ range: ClosedRange<Int>) -> Question {
        var q = Question(key: key, label: label, section: "ec", type: .number)
        q.range = range
        q.notFor = notApplicableToPrevention
        return q
    }
    /// A question of the likelihood of reoffending, which prevention does not take (001 §3.1).
    private static func reoffending(_ q: Question) -> Question {
        var q = q
        q.notFor = notApplicableToPrevention
        return q
    }
    static let notApplicableToPrevention = ["prevention"]

    /// The YOGRS score and the ten static factors it rests on (001 §3.1: "calculated for out of
    /// court and statutory cases based on 10 static factors"). ap records the inputs as given
    /// to the national tool and the score it returned; it does not compute the score.
    static let yogrs: [Question] = [
        reoffending(
            Question(
                key: "yogrs", label: "YOGRS: the national tool's two-year reoffending probability, in percent",
                section: "ec", type: .percent)),
        reoffending(choice("yogrs.sex", "ec", "Static factor: sex as the tool records it", ["female", "male"])),
        number("yogrs.age", "Static factor: age at the current sanction", 8...25),
        number("yogrs.first-sanction-age", "Static factor: age at the first sanction", 8...25),
        number("yogrs.previous-sanctions", "Static factor: number of previous sanctions", 0...500),
        number("yogrs.previous-custody", "Static factor: number of previous custodial sentences", 0...500),
        number("yogrs.years-since-first", "Static factor: whole years since the first sanction", 0...20),
        reoffending(text("yogrs.offence-type", "ec", "Static factor: the current (most serious) offence's type")),
        reoffending(
            choice(
                "yogrs.disposal", "ec", "Static factor: the current disposal",
                ["out-of-court", "first-tier", "community", "custody"])),
        reoffending(yesNo("yogrs.burglary", "ec", "Static factor: a current or previous burglary")),
        reoffending(yesNo("yogrs.breach", "ec", "Static factor: a current or previous breach")),
    ]

    /// The value sets of list parts' fields (001 §3.1; issue 24 pins likelihood and impact).
    public static let likelihood = Ratings.levels3
    public static let impact = Ratings.levels4
    public static let strength = ["strong", "moderate", "weak"]
    public static let targetOwners = ["young-person", "parent", "yot", "partner"]
    public static let targetStatus = ["not-started", "in-progress", "achieved", "not-achieved", "no-longer-needed"]

    /// The screening tools (001 §4): each one's slug, name and the trigger question a `yes`
    /// to any of its items answers. The first three are completed "in all cases" (001 §4.2);
    /// the substance use screen is one of the four a first assessment needs (issue 24).
    public static let screens: [(slug: String, name: String, trigger: String)] = [
        ("slcn", "Speech, language, communication and neuro-disability", "pfs.slcn-screen"),
        ("physical", "Physical health", "pfs.physical-health-screen"),
        ("mental", "Emotional development and mental health", "pfs.mental-health-screen"),
        ("substance", "Substance use (AUDIT-style)", "pfs.substance-misuse"),
    ]

    private static func item(_ screen: String, _ name: String, _ label: String) -> Question {
        var q = Question(key: "screening.\(screen).\(name)", label: label, section: "screening", type: .yesNo)
        q.screen = screens.first { $0.slug == screen }?.trigger
        return q
    }

    /// Screening items, in our own words for what each tool asks about (001 §4.1; the YJB's
    /// AssetPlus guidance, section 4.3.3). A `yes` to any needs further exploration.
    static let screeningItems: [Question] = [
        item("slcn", "understanding", "Struggles to understand what is said or to follow instructions?"),
        item("slcn", "expressing", "Struggles to put thoughts into words or to be understood?"),
        item("slcn", "literacy", "Struggles with reading or writing?"),
        item("slcn", "diagnosis", "Has a diagnosed language, learning or neurodevelopmental condition?"),
        item("slcn", "head-injury", "Has had a head injury with a loss of consciousness?"),
        item("slcn", "past-support", "Has had speech and language therapy or special educational support?"),
        item("physical", "condition", "Has a long-term illness, disability or condition?"),
        item("physical", "medication", "Takes prescribed medication?"),
        item("physical", "unregistered", "Not registered with a GP or a dentist?"),
        item("physical", "untreated", "Has an injury or health problem that is not being treated?"),
        item("physical", "sexual-health", "Are there concerns about sexual health?"),
        item("mental", "mood", "Persistently low, worried or anxious?"),
        item("mental", "self-harm", "Has self-harmed, or thought about it?"),
        item("mental", "suicide", "Has thought about ending their life?"),
        item("mental", "trauma", "Still troubled by a frightening or traumatic experience?"),
        item("mental", "services", "Known now or before to mental health services?"),
        item("mental", "sleep-eating", "Has problems with sleeping or eating?"),
        item("substance", "alcohol", "Drinks alcohol?"),
        item("substance", "drugs", "Uses drugs, solvents or other substances?"),
        item("substance", "frequent", "Drinks or uses substances on most days?"),
        item("substance", "binge", "Has drunk heavily on one occasion in the last month?"),
        item("substance", "harm", "Has drinking or use caused trouble at home, school or with the police?"),
    ]

    private static func statement(_ who: String, _ name: String, _ label: String) -> Question {
        Question(key: "sa.\(who).\(name)", label: label, section: "sa", type: .agreement)
    }

    /// The questionnaires' respondents and their statements' key prefixes (001 §5).
    public static let questionnaires = [("young-person", "The young person"), ("carer", "The parent or carer")]

    /// The young person's and the carer's questionnaires: statements by theme, agreed with or
    /// not, and a comment in their own words; written by us after 001 §5 (the views of the
    /// young person and carers, gathered at each stage and entered by business support).
    static let selfAssessment: [Question] = [
        statement("young-person", "home", "Home: I feel safe and settled where I live"),
        statement("young-person", "family", "Family: I get on with the people I live with"),
        statement("young-person", "friends", "Friends: my friends help me keep out of trouble"),
        statement("young-person", "education", "Learning: school, college or work is going all right"),
        statement("young-person", "health", "Health: I look after my health"),
        statement("young-person", "feelings", "Feelings: I can cope when I am angry or upset"),
        statement("young-person", "substances", "Drink and drugs: they cause me problems"),
        statement("young-person", "offending", "Offending: I understand how what I did affected others"),
        statement("young-person", "future", "The future: I want to stay out of trouble"),
        statement("young-person", "help", "Help: I know who to ask when I need help"),
        text("sa.young-person.comment", "sa", "The young person's own words"),
        statement("carer", "supervision", "Supervision: I know where my child is and who with"),
        statement("carer", "relationship", "Home: we get on well together"),
        statement("carer", "boundaries", "Boundaries: my child keeps to the rules I set"),
        statement("carer", "education", "Learning: my child goes to school or college regularly"),
        statement("carer", "health", "Health: I worry about my child's health or wellbeing"),
        statement("carer", "support", "Support: I have the support I need as a parent or carer"),
        statement("carer", "offending", "Offending: I understand why my child got into trouble"),
        statement("carer", "help-wanted", "Help: I would like the YOT's help with parenting"),
        text("sa.carer.comment", "sa", "The parent's or carer's own words"),
    ]

    /// Every shipped question in display order. Explanations of triggers (`KEY.explanation`)
    /// are added by `Catalogue`, right after their trigger.
    public static let questions: [Question] = [
        // Core record (003 §1.7; 001 §9: the referral form pulls the record's details through).
        text("core-record.address", "core-record", "Current address and who the young person lives with"),
        text("core-record.contacts", "core-record", "Parents, carers and key professionals to contact"),
        text("core-record.diversity", "core-record", "Diversity needs: ethnicity, religion, language, disability"),
        // The offences and orders the court dealt with (003 §1.7; 002 Appendix A: type of order,
        // start, length, requirements), carried from stage to stage; hearings and remands are
        // the case's key events ('ap record').
        list(
            "core-record.offences", "core-record", "Offences: when, what, and the outcome",
            [
                .date("date", "When the offence was committed", required: true),
                .text("type", "The offence", required: true),
                .text("outcome", "The court's or the out-of-court outcome"),
            ]),
        list(
            "core-record.orders", "core-record", "Orders: type, start, length and requirements",
            [
                .text("type", "The order, e.g. a Youth Rehabilitation Order", required: true),
                .date("start", "When it started"),
                .text("length", "How long it runs"),
                .text("requirements", "Its requirements"),
            ]),

        // Personal, Family and Social Factors (001 §1.5.1, Annex B, §9.2).
        text("pfs.living-arrangements", "pfs", "Living arrangements and environmental factors"),
        yesNo(
            "pfs.accommodation-concerns", "pfs", "Any concerns about the current accommodation?",
            referral: "Housing / Children's Services"),
        yesNo(
            "pfs.local-tensions", "pfs", "Adversely affected by local tensions, pressures or issues?",
            referral: "Prevent services / Police / Children's Services"),
        text("pfs.family-relationships", "pfs", "Parenting, family and relationships"),
        yesNo(
            "pfs.parenting-concerns", "pfs", "Concerns about the parents' or carers' ability to care and supervise?",
            referral: "Parenting / Children's Services"),
        yesNo("pfs.gangs", "pfs", "Gang associations?", referral: "Gangs worker / Police"),
        yesNo("pfs.cse", "pfs", "At risk of child sexual exploitation?", referral: "MASE"),
        yesNo("pfs.missing", "pfs", "Episodes of going missing?", referral: "Missing children's service"),
        yesNo(
            "pfs.violent-extremism", "pfs", "Family or wider networks linked to violent extremism?",
            referral: "Channel (discuss with an operational manager)"),
        text("pfs.health", "pfs", "Physical and mental health"),
        yesNo(
            "pfs.physical-health-screen", "pfs", "Physical health screen: yes to any question?",
            referral: "Health worker"),
        yesNo(
            "pfs.slcn-screen", "pfs", "Speech, language, communication and neuro-disability screen: yes to any?",
            referral: "Speech and language specialist"),
        yesNo(
            "pfs.mental-health-screen", "pfs", "Emotional development and mental health screen: yes to any?",
            referral: "CAMHS"),
        yesNo("pfs.substance-misuse", "pfs", "Any evidence of substance misuse?", referral: "Substance misuse worker"),
        yesNo(
            "pfs.care-of-own-child", "pfs", "Concerns about the young person's ability to care for their child?",
            referral: "Children's Services"),
        text("pfs.life-events", "pfs", "Significant life events"),
        text("pfs.education", "pfs", "Learning, education, training and employment"),
        yesNo(
            "pfs.ete-concerns", "pfs", "Concerns about education, training or employment?", referral: "Education worker"
        ),

    ] + screeningItems + [
        // Offending and anti-social behaviour (001 §1.5.1: its episodes and further exploration).
        text("oasb.episodes", "oasb", "Episodes of offending and anti-social behaviour"),
        text("oasb.patterns", "oasb", "Patterns across the episodes"),

        // Foundations for change (001 §3.1: factors for and against desistance, each rated).
        text("ffc.desistance-for", "ffc", "Factors for desistance and their strength"),
        text("ffc.desistance-against", "ffc", "Factors against desistance and their strength"),
        text("ffc.engagement", "ffc", "Engagement and participation"),
        // 001 §3.1: "Each factor is rated based on the extent of its influence on the young person".
        list(
            "ffc.desistance-factors", "ffc", "Factors for and against desistance, each with its strength",
            [
                .text("factor", "The factor, e.g. stable accommodation", required: true),
                .choice("direction", "Whether it supports desistance or works against it", ["for", "against"]),
                .choice("strength", "How strongly it influences the young person", strength),
                .text("evidence", "What shows it"),
            ]),
        list(
            "ffc.barriers", "ffc", "Barriers to engagement and how they are met",
            [.text("barrier", "What stands in the way", required: true), .text("response", "How it will be met")]),

        // Self-assessment (001 §5; §17 item 5: whether each was completed).
        yesNo("sa.young-person", "sa", "Young person's self-assessment completed?"),
        yesNo("sa.carer", "sa", "Parent's or carer's self-assessment completed?"),
    ] + selfAssessment + [

        // Explanations and conclusions (001 §1.5.1, §3.1, §15.4): the judgements and ratings.
        text("ec.explanation", "ec", "Explanation of the offending and desistance"),
        text("ec.saw-outcomes", "ec", "Adverse outcomes for safety and wellbeing, likelihood and impact"),
        text(
            "ec.rosh-behaviours", "ec", "Future behaviour that may cause serious harm: victims, likelihood, imminence"),
        rating("rosh", "ec", "Risk of Serious Harm"),
        // 001 §3.1: future behaviour "analysed ... with respect to the impact on the victim,
        // likelihood, context and imminence"; shown beside the RoSH rating it supports.
        list(
            "future-behaviours", "ec", "Future behaviours that could cause serious harm to others",
            [
                .text("behaviour", "What the young person might do", required: true),
                .text("victims", "Who could be harmed", required: true),
                .choice("likelihood", "How likely it is", likelihood),
                .choice("impact", "How serious the harm would be", impact),
                .text("imminence", "How soon it could happen"),
                .text("context", "The circumstances in which it could happen"),
            ]),
        rating("saw", "ec", "Safety and Wellbeing"),
        // 001 §3.1: "record all possible adverse outcomes, likelihood and impact for the young person".
        list(
            "adverse-outcomes", "ec", "Adverse outcomes for the young person's safety and wellbeing",
            [
                .text("outcome", "What could happen to the young person", required: true),
                .choice("likelihood", "How likely it is", likelihood),
                .choice("impact", "How serious it would be", impact),
                .text("imminence", "How soon it could happen"),
                .text("context", "The circumstances, and whose acts or omissions"),
            ]),
    ] + yogrs + [
        // 001 §3.1: "automatically calculated based on YOGRS (not applicable to prevention cases)".
        reoffending(rating("indicative-lor", "ec", "Indicative Likelihood of Reoffending (from YOGRS)")),
        rating("lor", "ec", "Likelihood of Reoffending (practitioner's judgement)"),
        // 001 §15.4 item 2: a LoR that overrides the indicative one is countersigned; ap asks why.
        text("lor.override-reason", "ec", "Why the Likelihood of Reoffending differs from the indicative one"),

        // Pathways and planning (001 §15.4: the Scaled Approach level and its override).
        rating("scaled-approach", "pp", "Scaled Approach intervention level"),
        rating("scaled-approach-override", "pp", "Scaled Approach level after a professional override"),
        // 001 §15.4 item 3: a professional override of the level is countersigned; ap asks why.
        text(
            "scaled-approach.override-reason", "pp",
            "Why the Scaled Approach level differs from the one the LoR and RoSH indicate"),
        text("pp.plan", "pp", "The intervention plan"),
        // 001 §6.1: "a single area ... to record all targets and actions".
        list(
            "pp.targets", "pp", "Targets of the plan, each with its actions and who does them",
            [
                .text("need", "The need or risk the target addresses", required: true),
                .text("action", "What will be done", required: true),
                .choice("who", "Who does it", targetOwners),
                .date("by", "By when"),
                .choice("status", "Where it stands at the latest review", targetStatus, required: false),
            ]),
        // 001 §6.1: the plan replaces the risk and vulnerability management plans.
        list(
            "pp.management", "pp", "Actions that manage risk to others and to the young person's safety",
            [
                .text("concern", "The risk or safety and wellbeing concern", required: true),
                .text("action", "What will be done", required: true),
                .choice("who", "Who does it", targetOwners),
                .text("contingency", "What happens if it goes wrong"),
            ]),
        // 001 §6.2: "the young person should sign the Plan and be provided with a copy".
        yesNo("pp.signed", "pp", "The young person signed the plan"),
        date("pp.signed-date", "pp", "When the young person signed it"),
        yesNo("pp.copy-given", "pp", "A copy of the plan was given to the young person"),
        date("pp.plan-review-date", "pp", "When the plan is next reviewed"),

        // Modules (003 §§3, 6; 001 §§11.2, 11.22).
        text("custody.placement-factors", "custody", "Factors for the YCS Placements Team's placement decision"),
        text("custody.vulnerability", "custody", "Vulnerability and safety in custody"),
        text("bail.package", "bail", "The proposed bail package"),
        text("bail.address", "bail", "Bail address and who is responsible there"),
        text("leaving-custody.release-address", "leaving-custody", "Address on release"),
        date("leaving-custody.release-date", "leaving-custody", "Expected release date"),
        text("leaving-custody.ete", "leaving-custody", "Education, training or employment on release"),
        text("rj.attitude-to-victim", "rj", "Attitude to the victim and the harm done"),
        text("rj.previous-rj", "rj", "Previous restorative justice work"),
        // A court report's headings (001 §11.2; the PSR in the order a court reads it).
        text("psr.offence-analysis", "psr", "The offence and its seriousness"),
        text("psr.young-person", "psr", "The young person: circumstances, maturity and needs"),
        text("psr.risk", "psr", "The assessment of risk: reoffending, serious harm, safety and wellbeing"),
        text("psr.options", "psr", "The sentencing options considered and why"),
        text("psr.proposal", "psr", "The sentencing proposal to the court"),
        text("referral-order.contract", "referral-order", "The referral order contract agreed at panel"),

        // Transfer YOT to YOT (000 §19.3): keys kept as they were, mandatory by default.
        text("reason-for-transfer", "transfer", "Reason for the transfer"),
        text("coping-with-change", "transfer", "How will they cope with the change of supervisor?"),
        text("transition-help", "transfer", "Help needed to manage the transition"),
        text("specific-needs", "transfer", "Specific needs: LAC status, diversity, speech and language, contact"),
        text("continuing-services", "transfer", "Services that continue, contacts, replacements and who leads"),
        text("compliance-and-breach", "transfer", "Compliance issues, pending breach and court dates"),
        text(
            "requirements-deliverable", "transfer",
            "Can the receiving YOT deliver the requirements; if not, what action"),
        // The transfer-in summary (002 Appendix A), read by the receiving YOT's manager.
        text("transfer.order-type", "transfer", "Type of order, with the requirements of a YRO"),
        date("transfer.order-start", "transfer", "Start date of the order"),
        text("transfer.order-length", "transfer", "Length of the order"),
        yesNo("transfer.iom", "transfer", "Managed under Integrated Offender Management?"),
        choice("transfer.mappa-category", "transfer", "MAPPA category", ["1", "2", "3", "n/a"]),
        choice("transfer.mappa-level", "transfer", "MAPPA risk management level", ["1", "2", "3", "n/a"]),
        text("transfer.child-protection-plan", "transfer", "Child protection plan: its details, or none"),
        text("transfer.safeguarding", "transfer", "Safeguarding issues: their details, or none"),
        text(
            "transfer.documents", "transfer",
            "Documents attached (transfer questions, AssetPlus, PSR, court order, ...), and why any is missing"),
    ]
}
