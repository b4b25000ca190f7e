//! The risk screens' words and numbers against the reference (issue 16, issue 17): SOWS, PAWSS
//! and RASS (REFERENCE.md §3), the C-SSRS screener and the Morse Fall Scale (§3a) and NEWS2 (§10)
//! are compared with `../shared/clinical/REFERENCE.md` beside the project, as tests/anchors.rs
//! does, so a revision of the reference fails here until the code follows it.

use wardterm::domain::cssrs::{Action, Question, Triage};
use wardterm::domain::morse::{MORSE, MorseBands};
use wardterm::domain::news2::{self, Tenths};
use wardterm::domain::pawss::{self, GATE_ALCOHOL_TEXT, GATE_BAL_TEXT};
use wardterm::domain::rass::Rass;
use wardterm::domain::scales::sows::SOWS;
use wardterm::domain::stay::PAWSS_HIGH_RISK;

fn reference() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/clinical/REFERENCE.md");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The text of the section that starts with the heading `## {number}. ` up to the next `## `.
fn section(number: &str) -> String {
    let doc = reference();
    let head = format!("## {number}. ");
    let start = doc.find(&head).unwrap_or_else(|| panic!("no section {head:?} in REFERENCE.md"));
    let rest = &doc[start + head.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The bullet of `section` that starts with `- {name}`, its lines joined by single spaces.
fn bullet(section: &str, name: &str) -> String {
    let head = format!("- {name}");
    let start = section.find(&head).unwrap_or_else(|| panic!("no bullet {head:?}"));
    let end = section[start + 1..].find("\n- ").map_or(section.len(), |e| start + 1 + e);
    section[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text between `from` and the next `to` in `text`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let a = text.find(from).unwrap_or_else(|| panic!("{from:?} not in {text:?}")) + from.len();
    let b = text[a..].find(to).unwrap_or_else(|| panic!("{to:?} after {from:?} not in {text:?}")) + a;
    &text[a..b]
}

#[test]
fn sows_items_and_anchors_are_the_references() {
    let text = bullet(&section("3"), "SOWS");
    let items: Vec<&str> = between(&text, "Items: ", ".").split("; ").collect();
    let ours: Vec<&str> = SOWS.items.iter().map(|i| i.label).collect();
    assert_eq!(ours, items, "REFERENCE.md §3 SOWS items, in order and words");
    assert!(text.contains(&format!("{} patient-rated items", SOWS.items.len())));
    assert!(text.contains(&format!("total 0-{}", SOWS.max())));
    let anchors: Vec<String> = SOWS.items[0].choices.iter().map(|c| format!("{} {}", c.score, c.anchor)).collect();
    assert!(text.contains(&format!("({})", anchors.join(", "))), "anchors {anchors:?}");
    for item in SOWS.items {
        assert_eq!(item.choices, SOWS.items[0].choices, "{}: every item has the same anchors", item.key);
    }
}

#[test]
fn pawss_gate_and_items_are_the_references() {
    let text = bullet(&section("3"), "PAWSS");
    let gate = between(&text, "Gate (no points): ", "; if neither");
    assert_eq!(gate, format!("{GATE_ALCOHOL_TEXT}, or {GATE_BAL_TEXT}"));
    let items: Vec<(u8, &str)> = between(&text, "one point each, 0-10: ", ". Total >=")
        .split("; ")
        .map(|p| {
            let (n, words) = p.split_once(' ').expect("numbered item");
            (n.parse().unwrap_or_else(|_| panic!("number in {p:?}")), words)
        })
        .collect();
    let ours: Vec<(u8, &str)> = pawss::ITEMS.iter().map(|i| (i.number, i.text)).collect();
    assert_eq!(ours, items, "REFERENCE.md §3 PAWSS items, numbers and words");
    assert!(text.contains(&format!("Total >= {PAWSS_HIGH_RISK}: high risk of complicated withdrawal")));
    assert!(text.contains("The gate is never counted as a point"));
    // REFERENCE.md §8 names the items the withdrawal history feeds.
    let fed: Vec<String> = pawss::ITEMS.iter().filter(|i| i.history.is_some()).map(|i| i.number.to_string()).collect();
    let s8 = section("8").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(s8.contains(&format!("feed PAWSS items {}", fed.join(", "))), "{fed:?}");
    for i in pawss::ITEMS.iter().filter_map(|i| i.history) {
        assert!(s8.contains(i.label()), "§8 names {:?}", i.label());
    }
}

#[test]
fn rass_labels_are_the_references() {
    let text = bullet(&section("3"), "RASS");
    let ours: Vec<String> = Rass::all().map(|r| r.to_string()).collect();
    assert!(text.contains(&format!("-5 to +4: {}.", ours.join(" · "))), "{ours:?}");
}

#[test]
fn cssrs_questions_triage_and_actions_are_the_references() {
    let text = bullet(&section("3a"), "C-SSRS");
    assert!(text.contains("six yes/no questions, past month unless said"));
    for q in &Question::ALL[..6] {
        assert!(text.contains(&format!("{} {}", q.number(), q.text())), "question {}: {:?}", q.number(), q.text());
    }
    assert!(text.contains(&format!("(lifetime; if yes: {})", Question::Q6Recent.text())));
    assert!(text.contains("if 2 is yes, ask 3-5 (if no, go to 6)"));
    for (t, rule) in [
        (Triage::Low, "yes to 1 or 2 only"),
        (Triage::Moderate, "yes to 3, or yes to 6 more than 3 months ago"),
        (Triage::High, "yes to 4 or 5, or yes to 6 within the past 3 months"),
    ] {
        assert!(text.contains(&format!("{} = {rule}", t.label())), "{t}");
    }
    let actions: Vec<&str> = Triage::High.actions().iter().map(|a| a.label()).collect();
    assert_eq!(actions, [Action::ImmediateSafetyMeasures.label(), Action::NotifyProvider.label()]);
    assert!(text.contains(&format!("High risk: {} and {}.", actions[0], actions[1])), "{actions:?}");
    // "no risk identified" is ours (TODO(clinical) in cssrs.rs): the reference must not name it.
    assert!(!text.contains(Triage::NoRiskIdentified.label()), "the reference now names it: follow it");
}

#[test]
fn morse_items_options_and_points_are_the_references() {
    let text = bullet(&section("3a"), "Morse");
    for item in MORSE.items {
        let options: Vec<String> = item.choices.iter().map(|c| format!("{} {}", c.anchor, c.score)).collect();
        // The reference separates options with ", " or "; ".
        let written = [", ", "; "].map(|sep| format!("{} ({})", item.label, options.join(sep)));
        assert!(written.iter().any(|w| text.contains(w.as_str())), "{written:?}");
    }
    assert!(text.contains(&format!("Total 0-{}", MORSE.max())));
    let common = MorseBands::common_set().to_string().replace("-125 ", "+ ");
    assert!(text.contains(&format!("(a common set: {common})")), "{common}");
}

/// "<= 8 -> 3 · 9-11 -> 1 · 12-20 -> 0 · 21-24 -> 2 · >= 25 -> 3" as (low, high, points) in
/// tenths when `tenths`, the open ends as `i64::MIN` / `i64::MAX`.
fn bands(line: &str, tenths: bool) -> Vec<(i64, i64, u8)> {
    let num = |s: &str| -> i64 {
        if tenths {
            let (w, f) = s.split_once('.').unwrap_or_else(|| panic!("tenths in {s:?}"));
            w.parse::<i64>().expect("whole") * 10 + f.parse::<i64>().expect("tenth")
        } else {
            s.parse().unwrap_or_else(|_| panic!("number {s:?}"))
        }
    };
    line.split(" · ")
        .map(|part| {
            let (range, pts) = part.split_once(" -> ").unwrap_or_else(|| panic!("band {part:?}"));
            let pts: u8 = pts.parse().expect("points");
            if let Some(hi) = range.strip_prefix("<= ") {
                (i64::MIN, num(hi), pts)
            } else if let Some(lo) = range.strip_prefix(">= ") {
                (num(lo), i64::MAX, pts)
            } else {
                let (lo, hi) = range.split_once('-').expect("lo-hi");
                (num(lo), num(hi), pts)
            }
        })
        .collect()
}

/// A NEWS2 points function over a whole-number parameter.
type Points = fn(u16) -> u8;

#[test]
fn news2_points_are_the_references_at_every_band_edge() {
    let text = section("10");
    let line = |name: &str| -> String {
        let head = format!("- {name}: ");
        let l = text.lines().find(|l| l.starts_with(&head)).unwrap_or_else(|| panic!("no line {head:?}"));
        l[head.len()..].to_string()
    };
    let whole: [(&str, Points); 4] = [
        ("respiration rate", news2::respiration_points),
        ("SpO2 (scale 1)", news2::spo2_points),
        ("systolic BP", news2::systolic_points),
        ("pulse", news2::pulse_points),
    ];
    for (name, f) in whole {
        for (lo, hi, pts) in bands(&line(name), false) {
            for v in [lo.max(0), hi.min(300)] {
                assert_eq!(f(v as u16), pts, "{name} {v}");
            }
        }
    }
    for (lo, hi, pts) in bands(&line("temperature"), true) {
        for v in [lo.max(300), hi.min(440)] {
            assert_eq!(news2::temperature_points(Tenths::new(v as i32)), pts, "temperature {v} tenths");
        }
    }
    assert_eq!(line("air or oxygen"), "oxygen -> 2 · air -> 0");
    assert_eq!(news2::breathing_points(news2::Breathing::Oxygen), 2);
    assert_eq!(news2::breathing_points(news2::Breathing::Air), 0);
    assert!(line("consciousness").starts_with("alert -> 0 · new confusion, voice, pain or unresponsive (CVPU) -> 3"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for r in [news2::Response::Routine, news2::Response::Low, news2::Response::Medium, news2::Response::High] {
        assert!(flat.contains(r.label()), "{:?}", r.label());
    }
    assert!(flat.contains("a single parameter scoring 3: urgent ward review"));
}
