//! The scale definitions the ward uses, one file each, and lookup by key or name.

pub mod ciwa_ar;
pub mod ciwa_b;
pub mod cows;
pub mod sows;

use super::scale::Scale;

/// Every scale, in the order menus list them.
pub static ALL: &[&Scale] = &[&ciwa_ar::CIWA_AR, &cows::COWS, &ciwa_b::CIWA_B];

/// The scale whose key or display name matches `key`, ignoring case and the separators
/// `-`, `_`, `.` and spaces ("ciwa-ar", "CIWA-Ar", "ciwa_ar" and "ciwaar" all match).
pub fn by_key(key: &str) -> Option<&'static Scale> {
    let want = normalize(key);
    if want.is_empty() {
        return None;
    }
    ALL.iter().copied().find(|s| normalize(s.key) == want || normalize(s.name) == want)
}

fn normalize(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '-' | '_' | '.' | ' ')).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_key_accepts_key_name_and_spellings() {
        for k in ["ciwa-ar", "CIWA-Ar", "ciwa_ar", "ciwaar", " CIWA-AR "] {
            assert_eq!(by_key(k).map(|s| s.key), Some("ciwa-ar"), "{k}");
        }
        assert_eq!(by_key("COWS").map(|s| s.key), Some("cows"));
        assert_eq!(by_key("ciwa_b").map(|s| s.key), Some("ciwa-b"));
        for k in ["", "ciwa", "sows", "c!ows"] {
            assert!(by_key(k).is_none(), "{k}");
        }
    }

    #[test]
    fn keys_are_unique_and_scores_ascend_from_zero() {
        for scale in ALL {
            let mut keys = scale.item_keys();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), scale.items.len(), "{}", scale.key);
            for item in scale.items {
                let scores = item.legal_scores();
                assert_eq!(scores.first(), Some(&0), "{}.{}", scale.key, item.key);
                assert!(scores.windows(2).all(|w| w[0] < w[1]), "{}", item.key);
                assert!(!item.label.is_empty() && !item.how.is_empty());
            }
        }
    }
}
