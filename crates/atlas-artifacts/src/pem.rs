//! Certificate and key strings as the console writes them: base64 of a PEM text
//! (`"LS0tLS1CRUdJTi…"`). Raw PEM is accepted too (the console UI re-encodes it, and turns
//! literal `\n` into newlines), and reported so the user knows the file was not canonical.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// How a PEM value was written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PemEncoding {
    /// base64 of the PEM text: what the console exports and its API expects.
    Base64,
    /// The PEM text itself.
    Raw,
}

/// One `-----BEGIN <label>-----` … `-----END <label>-----` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    pub label: String,
    pub der: Vec<u8>,
}

/// A decoded PEM value.
#[derive(Debug, Clone)]
pub struct DecodedPem {
    pub encoding: PemEncoding,
    /// The PEM text (after base64 decoding and `\n` clean-up).
    pub text: String,
    pub blocks: Vec<PemBlock>,
    /// Non-blank text outside the blocks (ignored, but worth a warning).
    pub stray_text: bool,
}

impl DecodedPem {
    /// The value as the console API wants it: base64 of the PEM text.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.text.as_bytes())
    }
}

/// Decodes a certificate or key value (base64 PEM or raw PEM) into its PEM blocks.
/// The error is a reason a user can act on; it never contains the value.
pub fn decode(value: &str) -> Result<DecodedPem, String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("is empty".into());
    }
    let (encoding, text) = if trimmed.contains("-----BEGIN") {
        // PEM text ends with a newline, as the console's stored certificates do
        (
            PemEncoding::Raw,
            format!("{}\n", trimmed.replace("\\n", "\n").trim_end()),
        )
    } else {
        let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| "is neither base64-encoded PEM nor PEM text".to_string())?;
        let text = String::from_utf8(bytes)
            .map_err(|_| "is base64, but what it encodes is not PEM text".to_string())?;
        if !text.contains("-----BEGIN") {
            return Err("is base64, but what it encodes is not PEM (no -----BEGIN line)".into());
        }
        (PemEncoding::Base64, text.replace("\\n", "\n"))
    };
    let (blocks, stray_text) = parse_blocks(&text)?;
    Ok(DecodedPem {
        encoding,
        text,
        blocks,
        stray_text,
    })
}

/// Normalises a PEM value to base64 PEM (what the console stores). Values that do not decode
/// are returned unchanged; validation reports them.
pub fn to_base64_pem(value: &str) -> String {
    match decode(value) {
        Ok(d) if d.encoding == PemEncoding::Raw => d.to_base64(),
        Ok(_) => value.chars().filter(|c| !c.is_whitespace()).collect(),
        Err(_) => value.to_string(),
    }
}

/// base64 of a PEM text.
pub fn encode_base64(pem_text: &str) -> String {
    STANDARD.encode(pem_text.as_bytes())
}

/// PEM text for DER bytes, 64-character lines, trailing newline.
pub fn encode_pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn parse_blocks(text: &str) -> Result<(Vec<PemBlock>, bool), String> {
    let mut blocks = Vec::new();
    let mut stray = false;
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            if !line.is_empty() {
                stray = true;
            }
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        for inner in lines.by_ref() {
            if inner == end {
                closed = true;
                break;
            }
            if inner.starts_with("-----") {
                return Err(format!(
                    "is cut off: PEM block '{label}' meets '{inner}' before its END line"
                ));
            }
            if inner.contains(':') {
                // RFC 1421 headers (Proc-Type, DEK-Info): an encrypted legacy key
                return Err(format!(
                    "has headers in PEM block '{label}' (an encrypted key?); it cannot be used"
                ));
            }
            body.push_str(inner);
        }
        if !closed {
            return Err(format!(
                "is truncated: PEM block '{label}' has no -----END {label}----- line"
            ));
        }
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|_| format!("has a PEM block '{label}' whose body is not valid base64"))?;
        if der.is_empty() {
            return Err(format!("has an empty PEM block '{label}'"));
        }
        blocks.push(PemBlock {
            label: label.to_string(),
            der,
        });
    }
    if blocks.is_empty() {
        return Err("holds no complete PEM block".into());
    }
    Ok((blocks, stray))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n";

    #[test]
    fn base64_and_raw_pem_decode_to_the_same_blocks() {
        let b64 = decode(&encode_base64(PEM)).unwrap();
        let raw = decode(PEM).unwrap();
        assert_eq!(b64.encoding, PemEncoding::Base64);
        assert_eq!(raw.encoding, PemEncoding::Raw);
        assert_eq!(b64.blocks, raw.blocks);
        assert_eq!(raw.blocks[0].der, vec![1, 2, 3]);
        assert_eq!(to_base64_pem(PEM), encode_base64(PEM));
        let escaped = PEM.replace('\n', "\\n");
        assert_eq!(decode(&escaped).unwrap().blocks, raw.blocks);
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(decode("  ").unwrap_err(), "is empty");
        assert!(decode("not base64!").unwrap_err().contains("neither"));
        assert!(decode(&encode_base64("hello"))
            .unwrap_err()
            .contains("not PEM"));
        let truncated = "-----BEGIN CERTIFICATE-----\nAQID\n";
        assert!(decode(truncated).unwrap_err().contains("truncated"));
        let garbage = "-----BEGIN CERTIFICATE-----\nA!!D\n-----END CERTIFICATE-----";
        assert!(decode(garbage).unwrap_err().contains("not valid base64"));
        let stray = format!("hello\n{PEM}");
        assert!(decode(&stray).unwrap().stray_text);
    }

    #[test]
    fn encode_pem_wraps_at_64() {
        let pem = encode_pem("X", &[0u8; 100]);
        assert!(pem.lines().all(|l| l.len() <= 64 || l.starts_with("-----")));
        assert_eq!(decode(&pem).unwrap().blocks[0].der, vec![0u8; 100]);
    }
}
