//! The demo ward's admission assessments and risk screens (issue 16, point 7), recorded through
//! the store like a nurse would: most patients have a signed admission assessment; one is still
//! in progress; one was signed with a section "not assessed" and stays open; one had such a
//! section completed by an addendum the next day. Every patient has a C-SSRS (exactly one high
//! risk, with the nurse's recorded decision) and a Morse at admission (one after a fall); every
//! patient with alcohol among the substances a PAWSS; a few RASS and a SOWS beside a COWS. All
//! content is fictitious. Times are relative to the demo's `now` and never after it.
use chrono::{DateTime, Duration, Utc};

use super::{ACCOUNTS, DemoStay, PATIENTS};
use crate::domain::admission::{
    Arrival, Assessment, Medical, Pregnancy, Psychiatric, Search, Section, SectionKey, SubstanceUse, Substances, Test,
};
use crate::domain::census::mentions_alcohol;
use crate::domain::cssrs::{Cssrs, Question};
use crate::domain::morse::MORSE;
use crate::domain::pawss::{Bal, Known, Pawss, WithdrawalHistory};
use crate::domain::rass::Rass;
use crate::domain::scale::Answers;
use crate::domain::scales::sows::SOWS;
use crate::domain::screen::{Decision, NewScreen, Occasion, ScreenAnswers};
use crate::domain::user::Staff;
use crate::store::{Result, Store, StoreError};

/// The patient whose admission assessment is still a draft (Aisha Rahman, admitted this shift).
pub const IN_PROGRESS: usize = 2;
/// Signed with "Psychiatric history" not assessed, still open (Grace Whitfield).
pub const OPEN: usize = 9;
/// Signed with "Psychiatric history" not assessed, completed by an addendum (James O'Connor).
pub const COMPLETED_BY_ADDENDUM: usize = 1;
/// The one high-risk C-SSRS (Chen Jing, on admission).
pub const HIGH_RISK: usize = 13;
/// The moderate-risk C-SSRS (Priya Shah).
pub const MODERATE_RISK: usize = 11;
/// Patients whose last C-SSRS is older than the unit's 12 h (the board shows them overdue).
pub const CSSRS_OVERDUE: &[usize] = &[3, 15];
/// The Morse after a fall (Walter Greene).
pub const AFTER_FALL: usize = 12;

fn refused(e: String) -> StoreError {
    StoreError::Refused(format!("demo data: {e}"))
}

/// The password of a demo nurse (the accounts are in the same order as the staff).
fn password(staff: &[Staff], who: &Staff) -> &'static str {
    staff.iter().position(|s| s.id == who.id).and_then(|i| ACCOUNTS.get(i)).map_or("", |a| a.1)
}

/// Record everything for every demo stay.
pub(super) fn record(store: &mut Store, nurses: &[Staff], stays: &[DemoStay], now: DateTime<Utc>) -> Result<()> {
    for s in stays {
        admission(store, nurses, s, now)?;
        screens(store, nurses, s, now)?;
    }
    Ok(())
}

/// One substance row, as the patient gave it (fictitious, varied by patient).
fn substance_row(name: &str, n: usize) -> SubstanceUse {
    let row = |substance: &str, route: &str, amount: &str, last: String, age: usize, pattern: &str| SubstanceUse {
        substance: substance.into(),
        route: route.into(),
        amount_frequency: amount.into(),
        last_use: last,
        age_first_use: age.to_string(),
        pattern: pattern.into(),
    };
    let hours = |base: usize| format!("about {} h before arrival", base + n % 5);
    match name {
        "alcohol" => row(
            "alcohol",
            "oral",
            ["about 1 L vodka daily", "12-18 beers daily", "a fifth of whiskey daily", "2 bottles of wine daily"]
                [n % 4],
            hours(6),
            13 + n % 6,
            if n.is_multiple_of(3) { "daily, heavier at weekends" } else { "daily" },
        ),
        "opioids (fentanyl)" => row("fentanyl", "smoked", "about 1 g daily", hours(8), 19 + n % 4, "daily"),
        "opioids (heroin)" => row("heroin", "IV", "10-12 bags daily", hours(10), 20 + n % 3, "daily"),
        "opioids (oxycodone)" => row("oxycodone (not prescribed)", "oral", "80-120 mg daily", hours(12), 27, "daily"),
        "benzodiazepines" => row("alprazolam (not prescribed)", "oral", "2-4 mg daily", hours(14), 30, "daily"),
        "stimulants" => row("cocaine", "intranasal", "1-2 g per binge", "3 days before arrival".into(), 18, "binge"),
        "cannabis" => row("cannabis", "smoked", "several times daily", hours(4), 14, "daily"),
        "methamphetamine" => {
            row("methamphetamine", "smoked", "binges of 2-3 days", "2 days before arrival".into(), 22, "binge")
        }
        other => row(other, "unknown", "unknown", "unknown".into(), 18, "unknown"),
    }
}

/// Each allergy with its reaction ("penicillin: hives"), from the admission's allergy line.
fn allergies(line: &str) -> String {
    if line.trim() == "NKDA" {
        return "NKDA".into();
    }
    line.split(',')
        .map(|a| {
            let a = a.trim();
            let reaction = match a {
                "penicillin" => "hives",
                "sulfa" => "rash",
                "codeine" => "nausea and vomiting",
                "latex" => "contact dermatitis",
                "shellfish" => "throat swelling",
                "aspirin" => "wheeze",
                "morphine" => "itching and hives",
                _ => "reaction unknown",
            };
            format!("{a}: {reaction}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Active conditions, current medications, psychiatric diagnoses and outpatient care, per patient.
const HISTORY: [(&str, &str, &str, &str); 16] = [
    ("fatty liver on ultrasound 2025", "thiamine 100 mg daily", "depression", "none"),
    ("alcohol-related liver disease; hypertension", "lisinopril 10 mg daily", "anxiety", "none"),
    ("hepatitis C, untreated", "none", "PTSD", "counselor at the county clinic, monthly"),
    ("hepatitis C; abscess left forearm (healing)", "none", "none known", "none"),
    ("COPD; osteoporosis", "tiotropium inhaler daily", "generalised anxiety", "psychiatrist, every 3 months"),
    ("none", "none", "ADHD", "none"),
    ("iron-deficiency anaemia", "ferrous sulfate 325 mg daily", "depression", "therapist, weekly (missed the last 4)"),
    ("type 2 diabetes; hypertension", "metformin 1 g twice daily; amlodipine 5 mg daily", "none known", "none"),
    ("chronic low back pain", "none", "depression", "none"),
    ("seizure disorder (withdrawal seizures 2024)", "none (stopped levetiracetam)", "bipolar disorder", "none"),
    ("none", "none", "anxiety", "none"),
    ("none", "none", "depression; PTSD", "crisis team follow-up after a 2025 admission"),
    ("atrial fibrillation; prior hip fracture", "apixaban 5 mg twice daily", "none known", "none"),
    ("none", "sertraline 50 mg daily (not taken for 2 weeks)", "depression", "primary care prescribes sertraline"),
    ("none", "none", "none known", "none"),
    ("hepatitis C", "none", "anxiety", "none"),
];

/// What the search found and what was done with it.
const FINDINGS: [&str; 5] = [
    "none",
    "lighter and cigarettes, kept at the desk",
    "half-full bottle of vodka, discarded with the patient present",
    "none",
    "pocket knife, locked in the safe",
];

/// Whether the patient's sex and age make pregnancy relevant.
fn pregnancy(sex: &str, dob: &str) -> Pregnancy {
    let born: i32 = dob.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1900);
    if sex == "F" && born >= 1975 { Pregnancy::NotPregnant } else { Pregnancy::NotApplicable }
}

/// The whole assessment of demo patient `n`, arrived at `arrived`, searched by `nurse`.
fn assessment(n: usize, arrived: DateTime<Utc>, nurse: &Staff) -> Assessment {
    let p = &PATIENTS[n];
    let alcohol = mentions_alcohol(p.3);
    let opioid = p.3.contains("opioid");
    let mut rows: Vec<SubstanceUse> = p.3.split(", ").map(|s| substance_row(s.trim(), n)).collect();
    let smokes = n % 3 != 2;
    if smokes {
        rows.push(SubstanceUse {
            substance: if n % 4 == 1 { "nicotine (vape)".into() } else { "nicotine (cigarettes)".into() },
            route: if n % 4 == 1 { "inhaled".into() } else { "smoked".into() },
            amount_frequency: if n % 4 == 1 { "all day".into() } else { "1 pack daily".into() },
            last_use: "on the way in".into(),
            age_first_use: (14 + n % 4).to_string(),
            pattern: "daily".into(),
        });
    }
    let seizures = p.7.contains("seizure");
    let yes = |b: bool| if b { Known::Yes } else { Known::No };
    let withdrawal = WithdrawalHistory {
        prior_withdrawal: if alcohol || opioid || p.3.contains("benzo") { Known::Yes } else { Known::No },
        seizures: if alcohol { yes(seizures) } else { Known::No },
        delirium_tremens: match n {
            1 => Known::Yes,
            7 => Known::Unknown,
            _ => Known::No,
        },
        treatment: yes(n.is_multiple_of(2) || n == 1),
    };
    let (conditions, medications, diagnoses, outpatient) = HISTORY[n];
    let self_harm = match n {
        11 | 13 => Known::Yes,
        5 => Known::Unknown,
        _ => Known::No,
    };
    let bal = if alcohol {
        let brac = [0.12, 0.21, 0.08, 0.0, 0.16][n % 5];
        Test::Done { result: format!("BrAC {brac:.2}"), positive: brac > 0.0, at: arrived + Duration::minutes(12) }
    } else if n == 14 {
        Test::NotDone { reason: "patient refused".into() }
    } else {
        Test::Done { result: "BrAC 0.00".into(), positive: false, at: arrived + Duration::minutes(12) }
    };
    let detected: Vec<&str> =
        p.3.split(", ")
            .filter_map(|s| match s {
                "opioids (fentanyl)" => Some("fentanyl"),
                "opioids (heroin)" => Some("opiates"),
                "opioids (oxycodone)" => Some("oxycodone"),
                "benzodiazepines" => Some("benzodiazepines"),
                "stimulants" => Some("cocaine"),
                "cannabis" => Some("THC"),
                "methamphetamine" => Some("amphetamines"),
                _ => None,
            })
            .collect();
    let uds = if n == 7 {
        Test::NotDone { reason: "unable to void; recollect in the morning".into() }
    } else if detected.is_empty() {
        Test::Done { result: "negative".into(), positive: false, at: arrived + Duration::minutes(25) }
    } else {
        Test::Done {
            result: format!("positive: {}", detected.join(", ")),
            positive: true,
            at: arrived + Duration::minutes(25),
        }
    };
    Assessment {
        substances: Section::Answered(Substances { rows, no_nicotine: !smokes }),
        withdrawal: Section::Answered(withdrawal),
        medical: Section::Answered(Medical {
            conditions: conditions.into(),
            medications: medications.into(),
            pregnancy: pregnancy(p.2, p.1),
            allergies: allergies(p.8),
        }),
        psychiatric: Section::Answered(Psychiatric {
            diagnoses: diagnoses.into(),
            hospitalisation: yes(n == 9 || n == 11),
            self_harm,
            outpatient_care: outpatient.into(),
        }),
        arrival: Section::Answered(Arrival {
            bal,
            uds,
            search: Search::Done {
                by: format!("{}, {}", nurse.display_name, nurse.credentials),
                at: arrived + Duration::minutes(15),
                findings: FINDINGS[n % FINDINGS.len()].into(),
            },
        }),
        form: None,
    }
}

/// The admission assessment of one stay.
fn admission(store: &mut Store, nurses: &[Staff], s: &DemoStay, now: DateTime<Utc>) -> Result<()> {
    // The draft in progress is the demo nurse's ("nurse", Sam Okafor), so she can resume it.
    let nurse = if s.n == IN_PROGRESS { &nurses[1 % nurses.len()] } else { &nurses[s.n % nurses.len()] };
    let pw = password(nurses, nurse);
    let at = |m: i64| (s.admitted_at + Duration::minutes(m)).min(now);
    let whole = assessment(s.n, s.admitted_at, nurse);
    let id = store.start_admission_assessment(nurse, s.stay_id, at(35))?;
    match s.n {
        IN_PROGRESS => {
            // Substance use and withdrawal history taken; the rest after she has slept.
            let draft =
                Assessment { substances: whole.substances, withdrawal: whole.withdrawal, ..Assessment::default() };
            store.save_admission_draft(nurse, id, &draft, at(50))
        }
        OPEN | COMPLETED_BY_ADDENDUM => {
            let mut first = whole.clone();
            first.set_not_assessed(SectionKey::Psychiatric, "too intoxicated to answer reliably; reassess when sober");
            store.save_admission_draft(nurse, id, &first, at(50))?;
            store.sign_admission_assessment(nurse, id, &first, pw, at(70))?;
            if s.n == COMPLETED_BY_ADDENDUM {
                let other = &nurses[(s.n + 1) % nurses.len()];
                let later = Assessment { psychiatric: whole.psychiatric, ..Assessment::default() };
                let note = "Psychiatric history taken now that the patient is sober and oriented";
                store.add_admission_addendum(other, id, &later, note, password(nurses, other), at(26 * 60))?;
            }
            Ok(())
        }
        _ => {
            store.save_admission_draft(nurse, id, &whole, at(50))?;
            store.sign_admission_assessment(nurse, id, &whole, pw, at(60 + (s.n as i64 % 4) * 10))
        }
    }
}

/// A C-SSRS screener with the answers of a triage level.
fn cssrs(level: &str) -> Cssrs {
    let mut c = Cssrs::new();
    let set: &[(Question, bool)] = match level {
        "high" => &[
            (Question::Q1, true),
            (Question::Q2, true),
            (Question::Q3, true),
            (Question::Q4, true),
            (Question::Q5, false),
            (Question::Q6, false),
        ],
        "moderate" => &[(Question::Q1, true), (Question::Q2, false), (Question::Q6, true), (Question::Q6Recent, false)],
        "low" => &[(Question::Q1, true), (Question::Q2, false), (Question::Q6, false)],
        _ => &[(Question::Q1, false), (Question::Q2, false), (Question::Q6, false)],
    };
    for (q, a) in set {
        c.set(*q, Some(*a));
    }
    c
}

/// A Morse with these choices (positions, in the scale's item order: history, secondary
/// diagnosis, aid, IV, gait, mental status).
fn morse(positions: [usize; 6]) -> Result<Answers> {
    let mut a = Answers::new(&MORSE);
    for (i, p) in positions.into_iter().enumerate() {
        a.set(i, p).map_err(|e| refused(e.to_string()))?;
    }
    Ok(a)
}

/// A PAWSS for a patient with alcohol among the substances: the gate from the arrival BAL, items
/// 2, 3, 5, 6 as the nurse confirmed them against the withdrawal history, the others as asked.
fn pawss(n: usize, a: &Assessment) -> Result<Pawss> {
    let mut p = Pawss::new();
    let bal_positive = matches!(a.arrival.answered().map(|x| &x.bal), Some(Test::Done { positive: true, .. }));
    p.alcohol_past_30_days = Some(true);
    p.bal_on_admission = Some(if bal_positive { Bal::Positive } else { Bal::Negative });
    let h = a.withdrawal.answered().copied();
    let known = |k: Option<Known>| k == Some(Known::Yes);
    let answers = [
        (1, n % 4 != 3),
        (2, known(h.map(|h| h.treatment))),
        (3, known(h.map(|h| h.prior_withdrawal))),
        (4, n.is_multiple_of(3)),
        (5, known(h.map(|h| h.seizures))),
        (6, known(h.map(|h| h.delirium_tremens))),
        (7, PATIENTS[n].3.contains("benzo")),
        (8, PATIENTS[n].3.contains(", ") || n % 5 == 2),
        (
            9,
            matches!(a.arrival.answered().map(|x| &x.bal), Some(Test::Done { result, .. }) if result.ends_with("0.21")),
        ),
        (10, n % 2 == 1),
    ];
    for (i, yes) in answers {
        p.set(i, Some(yes)).map_err(|e| refused(e.to_string()))?;
    }
    Ok(p)
}

/// Every screen of one stay: C-SSRS at admission and each shift, Morse at admission and daily,
/// PAWSS at admission where alcohol is among the substances, and a few RASS and a SOWS.
fn screens(store: &mut Store, nurses: &[Staff], s: &DemoStay, now: DateTime<Utc>) -> Result<()> {
    let n = s.n;
    let p = &PATIENTS[n];
    let by = |k: usize| &nurses[(n + k) % nurses.len()];
    let screen = |answers, occasion, taken_at: DateTime<Utc>| NewScreen {
        stay_id: s.stay_id,
        answers,
        occasion,
        taken_at,
        with_assessment: None,
        comment: None,
    };
    let recorded = |t: DateTime<Utc>| (t + Duration::minutes(3)).min(now);
    let arrived = s.admitted_at;
    // C-SSRS at admission, then about every 11 h (the unit's interval is 12 h); two patients'
    // last screens are older than that (overdue on the board).
    let admission_level = match n {
        HIGH_RISK => "high",
        MODERATE_RISK => "moderate",
        5 | 6 | 0 => "low",
        _ => "none",
    };
    let mut t = arrived + Duration::minutes(40);
    let mut k = 0;
    let stop = if CSSRS_OVERDUE.contains(&n) { now - Duration::hours(14) } else { now };
    while t < stop {
        let level = if k == 0 {
            admission_level
        } else if n == MODERATE_RISK {
            "moderate"
        } else if n == 5 {
            "low"
        } else {
            "none"
        };
        let decision = (level == "high").then(|| Decision {
            notified: Some("Dr. Adeyemi by phone, came to the unit".into()),
            not_notified_because: None,
            add_suicide_precaution: true,
            observation: Some("q15".into()),
        });
        let occasion = if k == 0 { Occasion::Admission } else { Occasion::Routine };
        let mut sc = screen(ScreenAnswers::Cssrs { answers: cssrs(level), decision }, occasion, t);
        if level == "high" {
            sc.comment =
                Some("Says she thought of taking all her pills and meant to; belongings searched again".into());
        }
        store.record_screen(by(k), &sc, recorded(t))?;
        k += 1;
        t += Duration::hours(11) + Duration::minutes(((n * 7 + k * 13) % 50) as i64);
        if n == HIGH_RISK {
            break; // admitted hours ago: the high-risk screen on admission is the current one
        }
    }
    // Morse at admission and daily (the unit's 24 h); varied bands, and one after a fall.
    let at_admission: [usize; 6] = match n % 5 {
        0 => [0, 1, 0, 0, 1, 0], // 25 moderate
        1 => [1, 1, 0, 0, 1, 1], // 65 high
        2 => [0, 0, 0, 0, 0, 0], // 0 low
        3 => [0, 1, 0, 0, 0, 0], // 15 low
        _ => [1, 1, 1, 0, 1, 0], // 75 high
    };
    let mut t = arrived + Duration::minutes(45);
    let mut k = 0;
    while t < now {
        let pos = if k == 0 { at_admission } else { [at_admission[0], at_admission[1], 0, 0, 0, at_admission[5]] };
        let occasion = if k == 0 { Occasion::Admission } else { Occasion::Routine };
        store.record_screen(by(k + 1), &screen(ScreenAnswers::Morse(morse(pos)?), occasion, t), recorded(t))?;
        k += 1;
        t += Duration::hours(23) + Duration::minutes(((n * 11 + k * 5) % 40) as i64);
    }
    if n == AFTER_FALL {
        // Found on the floor beside the bed, unhurt (the fall precaution was already in place).
        let t = now - Duration::hours(5);
        let mut sc = screen(ScreenAnswers::Morse(morse([1, 1, 1, 0, 2, 1])?), Occasion::AfterFall, t);
        sc.comment = Some("Found sitting on the floor by the bed at 23:40, unhurt; bed alarm on".into());
        store.record_screen(by(0), &sc, recorded(t))?;
    }
    // PAWSS at admission, for every patient with alcohol among the substances (issue 16);
    // "not applicable" for one patient who denied alcohol and blew 0.00.
    let a = assessment(n, arrived, by(0));
    let t = arrived + Duration::minutes(50);
    if mentions_alcohol(p.3) {
        store.record_screen(
            by(0),
            &screen(ScreenAnswers::Pawss(pawss(n, &a)?), Occasion::Admission, t),
            recorded(t),
        )?;
    } else if n == 5 {
        let mut none = Pawss::new();
        none.alcohol_past_30_days = Some(false);
        none.bal_on_admission = Some(Bal::Negative);
        store.record_screen(by(0), &screen(ScreenAnswers::Pawss(none), Occasion::Admission, t), recorded(t))?;
    }
    // RASS beside the latest withdrawal score of two patients, and on its own for a third.
    let rass = |v: i8| Rass::new(v).map_err(|e| refused(e.to_string()));
    match n {
        1 | 4 => {
            if let Some((id, t)) = s.last_score {
                let mut sc = screen(ScreenAnswers::Rass(rass(if n == 1 { -1 } else { -2 })?), Occasion::WithScore, t);
                sc.with_assessment = Some(id);
                store.record_screen(by(0), &sc, recorded(t))?;
            }
        }
        14 => {
            let t = now - Duration::hours(2);
            store.record_screen(
                by(2),
                &screen(ScreenAnswers::Rass(rass(1)?), Occasion::ChangeInCondition, t),
                recorded(t),
            )?;
        }
        // A SOWS beside the latest COWS (its own series, never mixed into COWS's ladder).
        3 => {
            if let Some((id, t)) = s.last_score {
                let mut sows = Answers::new(&SOWS);
                for i in 0..SOWS.items.len() {
                    sows.set(i, (i * 3 + n) % 3).map_err(|e| refused(e.to_string()))?;
                }
                let mut sc = screen(ScreenAnswers::Sows(sows), Occasion::WithScore, t);
                sc.with_assessment = Some(id);
                store.record_screen(by(0), &sc, recorded(t))?;
            }
        }
        _ => {}
    }
    Ok(())
}
