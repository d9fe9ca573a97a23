//! What we take of a console's answer: never more than its route can hold (a broken or hostile
//! console could send gigabytes, or a list of a million components), and never our own
//! credentials echoed back into a message we show.

use base64::Engine;

use super::Credentials;

/// The console's own limit on a body (athena's `maxSize = '25mb'`): a component list, the
/// largest answer, is far below it.
pub const MAX_LIST_BYTES: usize = 25 * 1024 * 1024;

/// Any other answer is one component, a status map or settings: kilobytes.
pub const MAX_ANSWER_BYTES: usize = 2 * 1024 * 1024;

/// A console holds at most `max_components` nodes (75 by default) plus their MSP definitions;
/// a list longer than this is not a console's.
pub const MAX_LISTED_COMPONENTS: usize = 2_000;

/// Reads a component list, refusing it past [`MAX_LISTED_COMPONENTS`] entries as it goes (a
/// list of a million empty objects is small text but a large tree).
pub fn at_most_listed<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<serde_json::Value>, D::Error> {
    struct AtMost;
    impl<'de> serde::de::Visitor<'de> for AtMost {
        type Value = Vec<serde_json::Value>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_LISTED_COMPONENTS} components")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                if items.len() == MAX_LISTED_COMPONENTS {
                    return Err(serde::de::Error::custom(format!(
                        "more than {MAX_LISTED_COMPONENTS} components listed, and a console \
                         holds at most a few hundred (is the console URL right?)"
                    )));
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    deserializer.deserialize_seq(AtMost)
}

/// The cap for the answer to `path_and_query`.
pub fn cap_for(path_and_query: &str) -> usize {
    let path = path_and_query.split('?').next().unwrap_or(path_and_query);
    if path.trim_end_matches('/') == "/ak/api/v3/components" {
        MAX_LIST_BYTES
    } else {
        MAX_ANSWER_BYTES
    }
}

/// Why an answer was not read whole.
pub enum Unread {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk, stopping as soon as it passes `cap`.
pub async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, Unread> {
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(Unread::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Unread::Transport)? {
        if body.len() + chunk.len() > cap {
            return Err(Unread::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `text` without our credentials in any form the request carried them (the secret, the Basic
/// header's encoding, a bearer token).
pub fn redact(text: &str, credentials: &Credentials) -> String {
    let secrets: Vec<String> = match credentials {
        Credentials::ApiKey { key, secret } => vec![
            base64::engine::general_purpose::STANDARD.encode(format!("{key}:{}", secret.expose())),
            secret.expose().to_owned(),
        ],
        Credentials::Bearer(token) => vec![token.expose().to_owned()],
    };
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_owned(), |text, secret| {
            text.replace(secret.as_str(), "[redacted]")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Secret;

    #[test]
    fn the_list_may_be_large_and_everything_else_small() {
        assert_eq!(cap_for("/ak/api/v3/components?cache=skip"), MAX_LIST_BYTES);
        assert_eq!(cap_for("/ak/api/v3/components/org1msp"), MAX_ANSWER_BYTES);
        assert_eq!(cap_for("/ak/api/v3/components/status"), MAX_ANSWER_BYTES);
    }

    #[test]
    fn an_echoed_authorization_header_or_secret_is_redacted() {
        let credentials = Credentials::ApiKey {
            key: "key1".into(),
            secret: Secret::new("s3cr3t-value"),
        };
        let basic = base64::engine::general_purpose::STANDARD.encode("key1:s3cr3t-value");
        let echoed = format!("bad request; you sent Authorization: Basic {basic} (s3cr3t-value)");
        let shown = redact(&echoed, &credentials);
        assert_eq!(
            shown,
            "bad request; you sent Authorization: Basic [redacted] ([redacted])"
        );
        let bearer = Credentials::Bearer(Secret::new("tok.en"));
        assert_eq!(redact("Bearer tok.en", &bearer), "Bearer [redacted]");
    }
}
