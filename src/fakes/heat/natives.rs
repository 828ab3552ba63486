//! Heat's own resource types, as a template can observe them in Heat:
//!
//! - `OS::Heat::None`: no attribute (any is Heat's 400), a UUID for `get_resource`;
//! - `OS::Heat::TestResource`: `output` is its `value` (default `test_string`);
//! - `OS::Heat::Value`: `value` is its `value`;
//! - `OS::Heat::RandomString`: `value` is a string of `length` (32) characters of its classes
//!   and sequences (letters and digits), deterministic per stack and resource, and
//!   `get_resource` answers that value, as Heat's does;
//! - `OS::Heat::ResourceGroup`: `count` (1) members built from `resource_def`, `%index%` (or
//!   `index_var`) replaced by the member's index in its properties; `refs`, `refs_map`,
//!   `resource.N[.attribute]`, `attributes`, and any member attribute as the list of the
//!   members' values.
//!
//! TestResource, Value and RandomString take Heat's physical names
//! `<stack>-<resource>-<12 lowercase base32 characters>`, derived from the generated id.

use serde_json::{Map, Value, json};

/// Heat's `physical_resource_name`, or `None` for types that keep the generated id.
pub(super) fn physical_name(
    kind: &str,
    stack: &str,
    resource: &str,
    generated: &str,
) -> Option<String> {
    matches!(
        kind,
        "OS::Heat::TestResource" | "OS::Heat::Value" | "OS::Heat::RandomString"
    )
    .then(|| {
        format!(
            "{}-{resource}-{}",
            stack.trim_end_matches('*'),
            short_id(generated)
        )
    })
}

/// 12 lowercase base32 characters from the bytes of `id`.
fn short_id(id: &str) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let bytes: Vec<u8> = id.bytes().filter(u8::is_ascii_hexdigit).collect();
    let mut bits: u64 = 0;
    for pair in bytes.chunks(2).take(8) {
        let text = std::str::from_utf8(pair).unwrap_or("0");
        bits = (bits << 8) | u64::from(u8::from_str_radix(text, 16).unwrap_or(0));
    }
    (0..12)
        .map(|i| char::from(ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize]))
        .collect()
}

/// The attribute table of a native type (`None`: not native).
pub(super) fn table(kind: &str, seed: &str, properties: &Value) -> Option<Map<String, Value>> {
    let prop = |name: &str| properties.get(name).cloned();
    let table = match kind {
        "OS::Heat::None" => json!({}),
        "OS::Heat::TestResource" => {
            json!({"output": prop("value").unwrap_or(json!("test_string"))})
        }
        "OS::Heat::Value" => json!({"value": prop("value").unwrap_or(Value::Null)}),
        "OS::Heat::RandomString" => json!({"value": random_string(seed, properties)}),
        _ => return None,
    };
    table.as_object().cloned()
}

/// What `get_resource` answers when it is not the physical id.
pub(super) fn reference(kind: &str, table: &Map<String, Value>) -> Option<Value> {
    (kind == "OS::Heat::RandomString")
        .then(|| table.get("value").cloned())
        .flatten()
}

fn random_string(seed: &str, properties: &Value) -> String {
    let length = properties
        .get("length")
        .and_then(Value::as_u64)
        .map_or(32, |l| usize::try_from(l.min(512)).unwrap_or(32));
    let mut alphabet = String::new();
    let classes = properties
        .get("character_classes")
        .and_then(Value::as_array);
    let sequence = properties.get("sequence").and_then(Value::as_str);
    for class in classes
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("class").and_then(Value::as_str))
        .chain(sequence)
    {
        alphabet.push_str(class_chars(class));
    }
    for seq in properties
        .get("character_sequences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        alphabet.push_str(seq.get("sequence").and_then(Value::as_str).unwrap_or(""));
    }
    if alphabet.is_empty() {
        alphabet.push_str(class_chars("lettersdigits"));
    }
    let chars: Vec<char> = alphabet.chars().collect();
    // A splitmix64 stream seeded from the resource's generated id: deterministic per stack.
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (0..length)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chars[usize::try_from(z % chars.len() as u64).unwrap_or(0)]
        })
        .collect()
}

fn class_chars(class: &str) -> &'static str {
    match class {
        "letters" => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "lowercase" => "abcdefghijklmnopqrstuvwxyz",
        "uppercase" => "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "digits" => "0123456789",
        "hexdigits" => "0123456789abcdefABCDEF",
        "octdigits" => "01234567",
        _ => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    }
}

/// How many members a ResourceGroup has (Heat's integer property takes `"3"` as 3), capped
/// at Heat's resource limit.
pub(super) fn group_count(properties: &Value) -> usize {
    if properties.get("resource_def").is_none() {
        return 0;
    }
    let count = match properties.get("count") {
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        Some(value) => value.as_u64().unwrap_or(0),
        None => 1,
    };
    usize::try_from(count).map_or(super::deps::MAX_RESOURCES, |c| {
        c.min(super::deps::MAX_RESOURCES)
    })
}

/// A ResourceGroup's members: `(type, properties)` per index, `%index%` replaced.
pub(super) fn group_members(properties: &Value) -> Vec<(String, Value)> {
    let count = group_count(properties);
    if count == 0 {
        return Vec::new();
    }
    let def = &properties["resource_def"];
    let kind = def
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("OS::Heat::None")
        .to_string();
    let var = properties
        .get("index_var")
        .and_then(Value::as_str)
        .unwrap_or("%index%");
    let props = def.get("properties").cloned().unwrap_or_else(|| json!({}));
    (0..count)
        .map(|i| (kind.clone(), replace_index(&props, var, &i.to_string())))
        .collect()
}

/// Replaces `var` in every string (keys too), without recursion.
fn replace_index(value: &Value, var: &str, index: &str) -> Value {
    let text = serde_json::to_string(value).unwrap_or_default();
    let var_json = serde_json::to_string(var).unwrap_or_default();
    let var_inner = &var_json[1..var_json.len() - 1];
    if var_inner.is_empty() {
        return value.clone();
    }
    serde_json::from_str(&text.replace(var_inner, index)).unwrap_or_else(|_| value.clone())
}

/// `get_attr [member n, key, path...]`.
pub(super) type Member<'a> = &'a dyn Fn(usize, &str, &[Value]) -> Option<Value>;

/// `get_attr [group, key, path...]`.
pub(super) fn group_attribute(
    member_ids: &[String],
    key: &str,
    path: &[Value],
    member: Member<'_>,
) -> Option<Value> {
    let walk = |v: Value| super::attributes::walk(&v, path).unwrap_or(Value::Null);
    match key {
        "refs" => Some(walk(json!(member_ids))),
        "refs_map" => Some(walk(Value::Object(
            member_ids
                .iter()
                .enumerate()
                .map(|(i, id)| (i.to_string(), json!(id)))
                .collect(),
        ))),
        "removed_rsrc_list" => Some(json!([])),
        "attributes" => {
            let (attr, rest) = path.split_first()?;
            let attr = attr.as_str()?;
            Some(Value::Object(
                (0..member_ids.len())
                    .map(|i| (i.to_string(), member(i, attr, rest).unwrap_or(Value::Null)))
                    .collect(),
            ))
        }
        _ => match key.strip_prefix("resource.") {
            Some(rest) => {
                let (index, attr) = rest
                    .split_once('.')
                    .map_or((rest, None), |(i, a)| (i, Some(a)));
                let i: usize = index.parse().ok()?;
                let id = member_ids.get(i)?;
                match attr {
                    None => Some(json!(id)),
                    Some(attr) => member(i, attr, path),
                }
            }
            None => Some(Value::Array(
                (0..member_ids.len())
                    .map(|i| member(i, key, path).unwrap_or(Value::Null))
                    .collect(),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_random_strings_are_deterministic() {
        let name = physical_name(
            "OS::Heat::TestResource",
            "st",
            "r",
            "0f3c1a2b-0000-5000-8000-000000000000",
        );
        let name = name.expect("a test resource has a physical name");
        assert!(
            name.starts_with("st-r-") && name.len() == "st-r-".len() + 12,
            "{name}"
        );
        let a = random_string("seed", &json!({"length": 8, "sequence": "digits"}));
        assert_eq!(
            a,
            random_string("seed", &json!({"length": 8, "sequence": "digits"}))
        );
        assert_eq!(a.len(), 8);
        assert!(a.chars().all(|c| c.is_ascii_digit()), "{a}");
        assert_ne!(
            a,
            random_string("other", &json!({"length": 8, "sequence": "digits"}))
        );
    }

    #[test]
    fn group_members_replace_the_index() {
        let members = group_members(&json!({"count": 2, "resource_def": {
            "type": "OS::Heat::TestResource", "properties": {"value": "m-%index%"}}}));
        assert_eq!(
            members[1],
            ("OS::Heat::TestResource".into(), json!({"value": "m-1"}))
        );
    }
}
