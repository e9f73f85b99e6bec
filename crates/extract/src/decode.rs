//! Bytes to text: byte-order marks, UTF-8, UTF-16, and a Windows-1252 fallback for the
//! many council exports that were never UTF-8. Binary input is refused, not guessed at.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input has no bytes (or only whitespace).
    #[error("file is empty")]
    Empty,
    /// The input looks like binary data (NUL bytes or many control characters).
    #[error("file looks binary ({0}), not a text or HTML paper")]
    Binary(String),
}

/// Text decoded from bytes, with the name of the encoding used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes a text or HTML paper. Tries, in order: a BOM, strict UTF-8, Windows-1252.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return finish(String::from_utf8_lossy(rest).into_owned(), "utf-8");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        let (text, _, _) = UTF_16LE.decode(bytes);
        return finish(text.into_owned(), "utf-16le");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let (text, _, _) = UTF_16BE.decode(bytes);
        return finish(text.into_owned(), "utf-16be");
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let nuls = sample.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        return Err(DecodeError::Binary(format!(
            "{nuls} NUL bytes in the first {} bytes",
            sample.len()
        )));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => finish(s.to_owned(), "utf-8"),
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            finish(text.into_owned(), "windows-1252")
        }
    }
}

fn finish(text: String, encoding: &'static str) -> Result<Decoded, DecodeError> {
    let total = text.chars().count().max(1);
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    // Real exports carry the odd stray control character; binary data carries many.
    if control * 20 > total {
        return Err(DecodeError::Binary(format!(
            "{control} control characters in {total}"
        )));
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text: text.replace("\r\n", "\n").replace('\r', "\n"),
        encoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let d = decode("Children’s Services".as_bytes()).unwrap();
        assert_eq!(d.text, "Children’s Services");
        assert_eq!(d.encoding, "utf-8");
    }

    #[test]
    fn windows_1252_fallback_keeps_curly_quotes_and_pound() {
        // 0x92 is a right single quote and 0xA3 a pound sign in Windows-1252.
        let d = decode(b"Children\x92s budget \xa3170,000").unwrap();
        assert_eq!(d.text, "Children’s budget £170,000");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Action plan".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "Action plan");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n\t "), Err(DecodeError::Empty));
        assert!(matches!(
            decode(b"\x7fELF\x02\x01\x01\0\0\0\0"),
            Err(DecodeError::Binary(_))
        ));
        let noise: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 32) as u8 + 1).collect();
        assert!(matches!(decode(&noise), Err(DecodeError::Binary(_))));
    }

    #[test]
    fn crlf_is_normalised() {
        assert_eq!(decode(b"a\r\nb\rc").unwrap().text, "a\nb\nc");
    }
}
