//! HOT intrinsic functions, evaluated as heat 27.0.1 evaluates them, in its three phases:
//!
//! 1. [`parse`] (Heat's `template.parse`): every function's argument *shape* is checked as its
//!    constructor checks it, innermost first; `if` picks its branch here and only that branch
//!    is parsed. A failure is a 400 `StackValidationFailed` `<path>: <message>`.
//! 2. [`validate`] (Heat's `function.validate`): references (`get_attr` to a resource the
//!    template lacks, an attribute a modelled type lacks), removed functions, `repeat`'s
//!    `for_each`, `make_url`'s keys. Also a 400.
//! 3. [`resolve`] (Heat's `function.resolve`): the value. A failure here only shows when the
//!    value is read: an output answers `output_value: null` with `output_error`.
//!
//! Which names are functions depends on the template version ([`versions`]). Families:
//! [`refs`] (parameters, resources, attributes, files), [`text`] (joins, replaces, splits,
//! digests), [`url`] (`make_url`), [`lists`] (maps and lists, `repeat`), [`conditions`] (`if`, `equals`,
//! `not`, `and`, `or`, `contains`, the `conditions` section), [`cfn`] (the CloudFormation
//! functions of 2013-05-23). [`python`] is the slice of Python semantics they share.
//!
//! Recursion follows the template's nesting, which [`super::template`] bounds.

mod cfn;
mod conditions;
mod engine;
mod lists;
mod python;
mod refs;
mod shared;
mod text;
mod url;
pub(super) mod versions;

pub(super) use conditions::{enabled, validate_section};
pub(super) use engine::{parse, resolve, validate};
pub(crate) use python::{py_json, py_str, type_name};

pub(super) use shared::{ArgError, Env, Failure, Scope, references};

#[cfg(test)]
mod tests;
