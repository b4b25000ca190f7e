//! Tamper evidence (REFERENCE.md section 6: integrity): every signed record — a note, an
//! addendum, an assessment, a PRN dose, a handoff — is serialized canonically and hashed, and the
//! hashes form a chain in which each link covers the record's hash and the link before it. An
//! edit made behind the application's back (even with the triggers dropped) changes a record's
//! hash or breaks the chain, and `wardterm verify` names the first such record.
use sha2::{Digest, Sha256};

/// The link before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A canonical serialization: a version tag, then `name=<byte length>:<bytes>\n` per field.
/// Length prefixes make it unambiguous whatever the values hold.
pub struct Canon(Vec<u8>);

impl Canon {
    pub fn new(tag: &str) -> Canon {
        let mut v = tag.as_bytes().to_vec();
        v.push(b'\n');
        Canon(v)
    }

    pub fn field(mut self, name: &str, value: &str) -> Canon {
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(b'=');
        self.0.extend_from_slice(value.len().to_string().as_bytes());
        self.0.push(b':');
        self.0.extend_from_slice(value.as_bytes());
        self.0.push(b'\n');
        self
    }

    /// An optional value: absent is the empty string with a distinct name suffix, so that
    /// `None` and `Some("")` differ.
    pub fn opt(self, name: &str, value: Option<&str>) -> Canon {
        match value {
            Some(v) => self.field(name, v),
            None => self.field(&format!("{name}?"), ""),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// SHA-256 as lowercase hex.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(&self.0))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The next link of the chain: covers the previous link, what the record is, and its hash.
pub fn link(prev: &str, kind: &str, record_id: i64, content_hash: &str) -> String {
    Canon::new("wardterm-ledger-v1")
        .field("prev", prev)
        .field("kind", kind)
        .field("id", &record_id.to_string())
        .field("content", content_hash)
        .hash()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_and_empty_differ_and_fields_cannot_run_together() {
        assert_ne!(Canon::new("t").opt("a", None).hash(), Canon::new("t").opt("a", Some("")).hash());
        assert_ne!(
            Canon::new("t").field("a", "bc").field("d", "").hash(),
            Canon::new("t").field("a", "b").field("cd", "").hash()
        );
    }

    #[test]
    fn a_link_depends_on_everything_before() {
        let a = link(GENESIS, "note", 1, &"a".repeat(64));
        assert_eq!(a.len(), 64);
        assert_ne!(a, link(GENESIS, "note", 2, &"a".repeat(64)));
        assert_ne!(a, link(&"1".repeat(64), "note", 1, &"a".repeat(64)));
        assert_ne!(a, link(GENESIS, "assessment", 1, &"a".repeat(64)));
    }
}
