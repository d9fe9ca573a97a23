//! JSON parsing that notices duplicate keys. `serde_json` (like the console's `JSON.parse`)
//! keeps the last of two equal keys without a word; a file whose meaning depends on which one
//! wins must be refused instead. The value is built in the same pass, by a visitor that
//! records every key an object already had, with its path.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::finding::join;

/// A duplicate: the JSON path of the key (`msp.component.tls_cert`, `[1].api_url`) and the key.
pub(crate) type Duplicate = (String, String);

/// Parses `text` as one JSON value (nothing but whitespace after it). Duplicate keys do not
/// fail the parse: they are pushed to `duplicates` (the last value is kept, as serde_json does).
pub(crate) fn parse_strict(
    text: &str,
    duplicates: &mut Vec<Duplicate>,
) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict {
        path: String::new(),
        duplicates,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Strict<'d> {
    /// Where the value being read sits in the document.
    path: String,
    duplicates: &'d mut Vec<Duplicate>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut list = Vec::new();
        loop {
            let seed = Strict {
                path: join(&self.path, &format!("[{}]", list.len())),
                duplicates: &mut *self.duplicates,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => list.push(v),
                None => return Ok(Value::Array(list)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = join(&self.path, &key);
            let seed = Strict {
                path: path.clone(),
                duplicates: &mut *self.duplicates,
            };
            let value = map.next_value_seed(seed)?;
            if object.insert(key.clone(), value).is_some() {
                self.duplicates.push((path, key));
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicates(text: &str) -> Vec<Duplicate> {
        let mut found = Vec::new();
        parse_strict(text, &mut found).unwrap();
        found
    }

    #[test]
    fn the_same_value_as_serde_json() {
        let text =
            r#"{"a": [1, -2, 3.5, "x\u00e9", true, null, {"b": {}}], "c": 18446744073709551615}"#;
        let mut found = Vec::new();
        let strict = parse_strict(text, &mut found).unwrap();
        assert_eq!(strict, serde_json::from_str::<Value>(text).unwrap());
        assert!(found.is_empty());
    }

    #[test]
    fn duplicates_are_named_with_their_path() {
        assert_eq!(
            duplicates(r#"{"msp_id": "A", "x": 1, "msp_id": "B"}"#),
            vec![("msp_id".to_string(), "msp_id".to_string())]
        );
        assert_eq!(
            duplicates(r#"[{"msp": {"component": {"tls_cert": "a", "tls_cert": "b"}}}]"#),
            vec![(
                "[0].msp.component.tls_cert".to_string(),
                "tls_cert".to_string()
            )]
        );
        // equal keys in different objects are not duplicates
        assert!(duplicates(r#"{"a": {"k": 1}, "b": {"k": 2}, "k": [{"k": 3}]}"#).is_empty());
    }

    #[test]
    fn trailing_text_is_an_error() {
        let mut found = Vec::new();
        assert!(parse_strict(r#"{"a": 1}}"#, &mut found).is_err());
    }
}
