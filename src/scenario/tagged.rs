//! Internally tagged enums that keep exact error positions.
//!
//! serde's `#[serde(tag = ...)]` buffers a whole mapping before it picks the variant, so
//! errors inside a step lose their line, column and key. Here the tag must be the first key:
//! the variant is known at once and the rest of the mapping streams straight into the
//! variant's struct, whose `deny_unknown_fields` errors then point at the offending key.

/// Implements `Deserialize` for an enum of newtype variants, tagged by its first key.
macro_rules! tagged {
    ($enum:ident, $tag:literal, { $($name:literal => $variant:ident),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Tagged;
                impl<'de> serde::de::Visitor<'de> for Tagged {
                    type Value = $enum;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "a mapping whose first key is `{}`", $tag)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$enum, A::Error> {
                        use serde::de::Error;
                        const VARIANTS: &[&str] = &[$($name),+];
                        match map.next_key::<String>()? {
                            Some(key) if key == $tag => {}
                            _ => return Err(A::Error::custom(format!("`{}` must be the first key", $tag))),
                        }
                        let variant: String = map.next_value()?;
                        let rest = serde::de::value::MapAccessDeserializer::new(map);
                        match variant.as_str() {
                            $($name => serde::Deserialize::deserialize(rest).map($enum::$variant),)+
                            other => Err(A::Error::unknown_variant(other, VARIANTS)),
                        }
                    }
                }
                deserializer.deserialize_map(Tagged)
            }
        }
    };
}

pub(crate) use tagged;
