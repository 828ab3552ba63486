//! Parsed templates by their text. A worker sends a few templates thousands of times (one per
//! resource type); parsing each once keeps create cheap and every stack of a type sharing one
//! parsed copy, where a parsed template is about ten times its text.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::errors::HeatError;
use super::template::{Parsed, Template};

/// How many distinct texts are kept. Past it the cache starts again empty: a flow of generated
/// templates (the fuzz) then costs what it cost without a cache, and memory stays bounded.
const CAPACITY: usize = 256;

/// The parsed templates seen so far, by text.
#[derive(Debug, Default)]
pub(super) struct TemplateCache {
    by_text: HashMap<String, Arc<Parsed>>,
}

impl TemplateCache {
    /// [`Template::parse`], once per distinct text. Errors are not kept: a request with a bad
    /// template is parsed again and answers the same error.
    pub(super) fn parse(&mut self, template: &Value) -> Result<Template, HeatError> {
        let Value::String(text) = template else {
            return Template::parse(template);
        };
        if let Some(parsed) = self.by_text.get(text) {
            return Ok(Template::of(Arc::clone(parsed)));
        }
        let parsed = Template::parse(template)?;
        if self.by_text.len() >= CAPACITY {
            self.by_text.clear();
        }
        self.by_text
            .insert(text.clone(), Arc::clone(parsed.parsed()));
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "heat_template_version: 2013-05-23\nresources: {}\n";

    #[test]
    fn one_text_is_parsed_once_and_shared() {
        let mut cache = TemplateCache::default();
        let a = cache.parse(&Value::String(TEXT.into())).expect("parses");
        let b = cache.parse(&Value::String(TEXT.into())).expect("parses");
        assert!(Arc::ptr_eq(a.parsed(), b.parsed()));
        assert_eq!(cache.by_text.len(), 1);
    }

    #[test]
    fn errors_are_answered_every_time_and_not_kept() {
        let mut cache = TemplateCache::default();
        for _ in 0..2 {
            let error = cache.parse(&Value::String("resources: {}".into()));
            assert!(error.is_err());
        }
        assert!(cache.by_text.is_empty());
    }

    #[test]
    fn past_capacity_it_starts_again() {
        let mut cache = TemplateCache::default();
        for i in 0..=CAPACITY {
            let text = format!("{TEXT}description: t{i}\n");
            cache.parse(&Value::String(text)).expect("parses");
        }
        assert_eq!(cache.by_text.len(), 1);
    }
}
