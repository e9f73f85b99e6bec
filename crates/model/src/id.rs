//! The one rule for naming a paper by its content, used by every crate that records
//! or looks up documents (extraction, dataset manifest, search index).

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of a paper's bytes: how a paper is recognised as unchanged.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A document's id: the first 16 hex digits of its SHA-256, so the same bytes get
/// the same id wherever and whenever they are read.
pub fn document_id(sha256_hex: &str) -> String {
    sha256_hex.chars().take(16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_content_hash_prefix() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        let sha = sha256_hex(b"abc");
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(document_id(&sha), "ba7816bf8f01cfea");
        assert_ne!(document_id(&sha256_hex(b"abd")), document_id(&sha));
    }
}
