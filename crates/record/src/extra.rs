//! The fields of an input record that scour does not know, kept as the JSON
//! text they came in (issue 15: passthrough is lossless).

use std::fmt;

use indexmap::IndexMap;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// Unknown fields of a record, in the order they came, each value as the
/// exact JSON text of the input ([`RawValue`]): a number keeps its spelling
/// (`1E5`, `1.10`, `12345678901234567890123`, `1e400`), a string its escapes
/// (`"\u00e9"`, `"\/"`), an object its key order and spacing inside.
///
/// Written back byte for byte after the record's own fields, but for line
/// breaks between a value's tokens (a pretty-printed JSON file's), which go
/// so that a record stays one line: a JSON string never holds a raw line
/// break, so every `\n` and `\r` of a value's text is such whitespace. A key
/// given twice keeps its first place and its last value, as a JSON object
/// read into a map does.
///
/// Reading values as [`RawValue`] needs serde_json's own deserializer (a
/// string, a slice or a [`Value`]); other formats cannot carry it.
#[derive(Clone, Debug, Default)]
pub struct Extra(IndexMap<String, Box<RawValue>>);

impl Extra {
    /// No fields.
    #[must_use]
    pub fn new() -> Extra {
        Extra::default()
    }

    /// Whether there are no fields.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many fields there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Removes every field.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Whether there is a field named `key`.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// The JSON text of the field `key`, as it came in.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.get(key).map(AsRef::as_ref)
    }

    /// The field `key` parsed into a [`Value`] (numbers keep their digits;
    /// an exponent's spelling is serde_json's).
    #[must_use]
    pub fn value(&self, key: &str) -> Option<Value> {
        self.get(key).map(to_value)
    }

    /// Sets the field `key` to a JSON text, as it is but for line breaks
    /// between its tokens (see the type's docs).
    pub fn insert(&mut self, key: String, raw: Box<RawValue>) {
        let raw = if raw.get().contains(['\n', '\r']) {
            let one_line: String = raw
                .get()
                .chars()
                .filter(|c| !matches!(c, '\n' | '\r'))
                .collect();
            // Taking whitespace out between tokens leaves valid JSON.
            RawValue::from_string(one_line).unwrap_or(raw)
        } else {
            raw
        };
        self.0.insert(key, raw);
    }

    /// Sets the field `key` to a value, written as serde_json writes it.
    pub fn insert_value(&mut self, key: String, value: &Value) {
        // A `Value` always serializes.
        if let Ok(raw) = serde_json::value::to_raw_value(value) {
            self.0.insert(key, raw);
        }
    }

    /// The fields in order, each with its JSON text.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_ref()))
    }
}

fn to_value(raw: &RawValue) -> Value {
    // The text was checked to be JSON when it was read or made.
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// Equal when the same keys hold the same JSON texts, in the same order:
/// what is written is what is compared.
impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        self.0.len() == other.0.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((ka, va), (kb, vb))| ka == kb && va.get() == vb.get())
    }
}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Extra;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<String>()? {
                    let raw: Box<RawValue> = map.next_value()?;
                    extra.insert(key, raw);
                }
                Ok(extra)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_text_and_order() {
        let text = r#"{"z":1E5,"a":"\u00e9\/","n":12345678901234567890123,"h":1e400,"o":{"b":1.10, "a":[]}}"#;
        let extra: Extra = serde_json::from_str(text).unwrap();
        assert_eq!(extra.len(), 5);
        assert_eq!(extra.get("z").unwrap().get(), "1E5");
        assert_eq!(serde_json::to_string(&extra).unwrap(), text);
        assert_eq!(extra.value("a"), Some(Value::from("é/")));
    }

    /// A pretty-printed JSON file's value (the corpus's gold files): its
    /// line breaks would have split the record's line.
    #[test]
    fn line_breaks_between_tokens_go() {
        let extra: Extra = serde_json::from_str("{\"l\": [\r\n  \"a\\nb\",\n  1E5\n]}").unwrap();
        assert_eq!(extra.get("l").unwrap().get(), "[  \"a\\nb\",  1E5]");
    }

    #[test]
    fn a_key_twice_keeps_its_first_place_and_last_value() {
        let extra: Extra = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(serde_json::to_string(&extra).unwrap(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn reads_from_a_value_too() {
        let v = serde_json::json!({"标签": ["安全"], "n": 2});
        let extra: Extra = serde_json::from_value(v).unwrap();
        assert_eq!(extra.value("标签"), Some(serde_json::json!(["安全"])));
        assert_eq!(extra.get("n").unwrap().get(), "2");
    }
}
