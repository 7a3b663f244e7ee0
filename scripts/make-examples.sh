#!/usr/bin/env bash
# Builds the sample repository examples/cases by driving ap itself, so it always
# matches the current format. Usage: scripts/make-examples.sh AP_BINARY DIR
# Fictional people only.
set -euo pipefail
ap=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
"$ap" init "$dir" --yot BARNET --yot-name "Barnet Youth Justice Service" --admin alex --admin-name "Alex Admin" >/dev/null
export AP_REPO=$dir
at() { export AP_NOW=$1 AP_TEST_CLOCK=1; }
run() { local who=$1; shift; AP_USER=$who "$ap" "$@" >/dev/null; }
# The four screening tools a first assessment needs (001 §4.2), every item no but those named.
screens() {
    local who=$1 id=$2; shift 2
    "$ap" stage questions --section screening | awk '$1 ~ /^screening\./ { print $1 "=no" }' \
        | sed "$(for yes in "$@"; do printf 's/^%s=no$/%s=yes/;' "$yes" "$yes"; done)" \
        | AP_USER=$who "$ap" stage set "$id" --from - >/dev/null
}

at 2026-10-01T09:00:00.000Z
run alex user add pat --name "Pat Jones" --role practitioner
run alex user add kim --name "Kim Osei" --role practitioner
run alex user add mo --name "Mo Khan" --role manager
run alex user add lee --name "Lee Ray" --role manager,practitioner
run alex user add bo --name "Bo Fenn" --role business-support
run alex org add YCS-PT --name "YCS Placements Team" --type placements
run alex org add WETHERBY --name "HMYOI Wetherby" --type establishment
run alex org add BARNET-SC --name "Barnet Children's Social Care" --type social-care
run alex org add HENDON-YC --name "Hendon Youth Court" --type court

# Fictional young people in varied states.
at 2026-10-01T09:30:00.000Z
run bo case new YP-0001 --name "Jordan Smith" --dob 2009-03-14
run bo case new YP-0002 --name "Casey Brown" --dob 2010-07-01 --looked-after
run bo case new YP-0003 --name "Riley Evans" --dob 2008-11-30
run bo case new YP-0004 --name "Morgan Hughes" --dob 2011-02-17
run bo case new YP-0005 --name "Taylor Green" --dob 2009-09-09
run bo case new YP-0006 --name "Sam Patel" --dob 2010-04-22
run bo case new YP-0007 --name "Alex Morgan" --dob 2008-06-05 --looked-after
run bo case new YP-0008 --name "Jamie Wilson" --dob 2009-12-12
run bo case new YP-0009 --name "Charlie Ward" --dob 2010-01-25
run bo case new YP-0010 --name "Robin Clarke" --dob 2011-05-03

# YP-0001: PSR completed and countersigned, then a Review in progress (pulled forward), its
# self-assessment section allocated to business support as a contributor.
at 2026-10-02T10:00:00.000Z; run pat stage new YP-0001 --kind psr
at 2026-10-05T10:50:00.000Z; screens pat YP-0001
at 2026-10-05T11:00:00.000Z; run pat stage set YP-0001 rosh=medium saw=low yogrs=78 yogrs.previous-sanctions=3 yogrs.age=15 lor=medium scaled-approach=enhanced "lor.override-reason=Back at college and away from the older group since the offence" "pfs.living-arrangements=Lives with mother and two siblings" pfs.gangs=no sa.young-person=yes sa.carer=no "psr.proposal=Referral order, 9 months"
at 2026-10-05T11:10:00.000Z; run pat stage add YP-0001 ffc.desistance-factors "factor=Stable home with mother" direction=for strength=strong
at 2026-10-05T11:20:00.000Z; run pat stage add YP-0001 ffc.desistance-factors "factor=Cannabis use with friends" direction=against strength=moderate
at 2026-10-05T11:25:00.000Z; run pat stage add YP-0001 core-record.offences date=2026-08-21 "type=Robbery of a mobile phone" "outcome=Guilty plea; adjourned for a pre-sentence report"
at 2026-10-05T11:26:00.000Z; run pat record YP-0001 court-hearing --date 2026-10-09T10:00 --at HENDON-YC
at 2026-10-05T11:30:00.000Z; run pat stage add YP-0001 pp.targets "need=Not attending school" "action=Weekly tutoring with the education worker" who=partner by=2026-12-18
at 2026-10-06T15:00:00.000Z; run pat stage submit YP-0001
at 2026-10-08T09:15:00.000Z; run mo countersign YP-0001 --comment "RoSH and LoR override agreed"
at 2026-11-16T09:00:00.000Z; run pat stage new YP-0001 --kind review
at 2026-11-16T09:30:00.000Z; run mo stage assign YP-0001 --section sa --to bo
at 2026-11-17T14:00:00.000Z; run bo stage set YP-0001 sa.carer=yes

# YP-0002's looked-after basis, set by a manager of the home YOT with a reason.
at 2026-10-12T09:00:00.000Z; run mo case update YP-0002 looked-after=yes --basis care-order --reason "Care order made 12 Oct"

# YP-0002: looked-after child, Start of intervention awaiting countersignature (submitted long
# ago: overdue); a yes to the CSE trigger flags a referral to MASE.
at 2026-10-12T10:00:00.000Z; run kim stage new YP-0002 --kind start-of-intervention
at 2026-10-13T10:00:00.000Z; run kim stage set YP-0002 rosh=high saw=high lor=high scaled-approach=intensive pfs.cse=yes "pfs.cse.explanation=Older associates; police informed" "pfs.slcn-screen=Yet-to-clarify"
at 2026-10-13T10:10:00.000Z; screens kim YP-0002 screening.mental.mood screening.substance.alcohol
at 2026-10-13T10:15:00.000Z; run kim stage set YP-0002 "pfs.mental-health-screen.explanation=Low since leaving home" "pfs.substance-misuse.explanation=Drinks with older associates"
at 2026-10-13T10:20:00.000Z; run kim stage add YP-0002 future-behaviours "behaviour=Carrying a knife for protection" "victims=Rival groups and bystanders" likelihood=medium impact=very-high "imminence=Could happen at any time" "context=When with older associates"
at 2026-10-13T10:30:00.000Z; run kim stage add YP-0002 adverse-outcomes "outcome=Criminal exploitation by older associates" likelihood=high impact=high "context=Goes missing from placement"
at 2026-10-13T10:40:00.000Z; run kim stage add YP-0002 ffc.desistance-factors "factor=Settled foster placement" direction=for strength=moderate
at 2026-10-13T10:50:00.000Z; run kim stage add YP-0002 pp.targets "need=Exploitation" "action=Referral to MASE; safety plan with carers" who=yot by=2026-10-30
at 2026-10-14T16:00:00.000Z; run kim stage submit YP-0002


# YP-0003: Review awaiting countersignature, recent.
at 2026-11-18T08:30:00.000Z; run lee stage new YP-0003 --kind review
at 2026-11-18T12:00:00.000Z; run lee stage set YP-0003 rosh=low saw=medium lor=low scaled-approach=standard "pfs.living-arrangements=Moved to grandmother's"
at 2026-11-18T13:00:00.000Z; run lee stage submit YP-0003

# YP-0004: Prevention stage completed without countersignature (no criteria met).
at 2026-10-20T10:00:00.000Z; run pat stage new YP-0004 --kind prevention
at 2026-10-21T10:00:00.000Z; run pat stage set YP-0004 "pfs.education=Attending, some exclusions" pfs.ete-concerns=no
at 2026-10-22T10:00:00.000Z; run pat stage submit YP-0004

# YP-0005: PSR returned for amendment, now in progress again.
at 2026-11-02T10:00:00.000Z; run kim stage new YP-0005 --kind psr
at 2026-11-03T09:50:00.000Z; screens kim YP-0005
at 2026-11-03T10:00:00.000Z; run kim stage set YP-0005 rosh=low saw=medium yogrs=55 lor=low scaled-approach=standard "lor.override-reason=First offence"
at 2026-11-04T10:00:00.000Z; run kim stage submit YP-0005
at 2026-11-05T10:00:00.000Z; run mo countersign YP-0005 --return "Say more on why LoR is lower than the indicative level"

# YP-0006: Post-Court Report stopped by a manager, then an urgent Bail Recommendation due at
# court on 12 Nov: a court stage, so it awaits countersignature whatever its ratings.
at 2026-11-09T10:00:00.000Z; run pat stage new YP-0006 --kind post-court-report
at 2026-11-10T10:00:00.000Z; run mo stage stop YP-0006 --reason "Urgent bail stage needed"
at 2026-11-10T10:30:00.000Z; run pat stage new YP-0006 --kind bail-recommendation --due 2026-11-12
at 2026-11-10T11:30:00.000Z; run pat stage set YP-0006 "bail.address=Confirmed with grandmother"
at 2026-11-11T16:00:00.000Z; run pat stage submit YP-0006

# YP-0007: looked-after child, Transfer YOT to YOT stage being prepared (answers partly given).
at 2026-11-11T10:00:00.000Z; run lee stage new YP-0007 --kind transfer-yot-to-yot --owner kim
at 2026-11-12T10:00:00.000Z; run kim stage set YP-0007 "reason-for-transfer=Placement moved to Nottingham" "coping-with-change=Unsettled by the move; needs a handover meeting"

# YP-0008: Start of intervention, then Case Closure, both countersigned.
at 2026-10-01T10:00:00.000Z; run pat stage new YP-0008 --kind start-of-intervention
at 2026-10-02T09:50:00.000Z; screens pat YP-0008
at 2026-10-02T10:00:00.000Z; run pat stage set YP-0008 rosh=low saw=low lor=low scaled-approach=standard "pp.plan=Referral order, 6 months"
at 2026-10-03T10:00:00.000Z; run pat stage submit YP-0008
at 2026-10-05T10:00:00.000Z; run lee countersign YP-0008
at 2026-11-02T10:00:00.000Z; run pat stage new YP-0008 --kind case-closure
at 2026-11-03T10:00:00.000Z; run pat stage set YP-0008 rosh=low saw=low lor=low scaled-approach=standard "ec.explanation=Order completed"
at 2026-11-04T10:00:00.000Z; run pat stage submit YP-0008
at 2026-11-06T10:00:00.000Z; run lee countersign YP-0008

# YP-0009: Referral Order report in progress, started by business support for its owner.
at 2026-11-19T10:00:00.000Z; run bo stage new YP-0009 --kind referral-order-report --owner pat
at 2026-11-20T10:00:00.000Z; screens pat YP-0009
at 2026-11-20T10:10:00.000Z; run pat stage set YP-0009 rosh=low saw=low lor=low scaled-approach=standard "pfs.living-arrangements=Lives with father; stable" "referral-order.contract=Letter of apology; six sessions of reparation at the community garden"
at 2026-11-20T10:20:00.000Z; run pat stage add YP-0009 core-record.offences date=2026-10-30 "type=Criminal damage to a bus shelter" "outcome=Referral order, 6 months"
at 2026-11-20T10:30:00.000Z; run pat stage add YP-0009 core-record.orders "type=Referral order" start=2026-11-18 "length=6 months" "requirements=Panel contract"

# YP-0010: remanded to youth detention accommodation at a hearing on 16 Nov. The Post-Court
# Report went to the YCS Placements Team that day; the PSR did not go 24 hours before the
# hearing (overdue in 'ap due'), social care has not been told, and the establishment's
# Entering into Custody stage is awaited (the PSR waits for it, 003 §3.6).
outbox=$(mktemp -d)
at 2026-11-13T10:00:00.000Z; run pat record YP-0010 court-hearing --date 2026-11-16T10:00
at 2026-11-16T15:00:00.000Z; run pat record YP-0010 remanded-yda --date 2026-11-16T14:30
at 2026-11-16T15:10:00.000Z; run pat stage new YP-0010 --kind post-court-report
at 2026-11-16T15:30:00.000Z; run pat stage set YP-0010 "custody.placement-factors=First time in custody; anxious" rosh=medium saw=high "pfs.health=Asthma; inhaler twice a day" screening.mental.self-harm=yes "pfs.mental-health-screen.explanation=Cut his arm in September; CAMHS informed" "custody.vulnerability=Young for his age; first time away from home"
at 2026-11-16T15:35:00.000Z; run pat stage add YP-0010 adverse-outcomes "outcome=Self-harm in his first nights in custody" likelihood=medium impact=high imminence=immediate
at 2026-11-16T15:40:00.000Z; run pat stage submit YP-0010
at 2026-11-16T16:00:00.000Z; run mo countersign YP-0010
at 2026-11-16T16:10:00.000Z; run pat stage send YP-0010 --to YCS-PT --out "$outbox"
at 2026-11-16T20:00:00.000Z; run pat record YP-0010 arrived-establishment --date 2026-11-16T19:30 --at WETHERBY
rm -rf "$outbox"

# Two documents made from the sample cases (issue 28): YP-0001's PSR for the court and
# YP-0009's Referral Order Report for the panel.
docs=$(dirname "$dir")/documents
mkdir -p "$docs"
at 2026-11-20T12:00:00.000Z
run pat case export YP-0001 --for court --html -o "$docs/YP-0001-pre-sentence-report.html"
run pat case export YP-0009 --for panel --html -o "$docs/YP-0009-referral-order-report.html"
echo "examples: $(find "$dir/cases" -name '*.json' | wc -l) cases in $dir"
