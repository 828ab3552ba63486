//! Which function each HOT version has, exactly as heat 27.0.1's `heat/engine/hot/template.py`
//! gates them: a name a version lacks is plain data, a name it lists as `Removed` is refused at
//! validation, and some names change behaviour between versions ([`Kind`]).

/// Every HOT version Heat accepts, oldest first, with its release alias.
pub(in crate::fakes::heat) const VERSIONS: [(&str, Option<&str>); 11] = [
    ("2013-05-23", None),
    ("2014-10-16", None),
    ("2015-04-30", None),
    ("2015-10-15", None),
    ("2016-04-08", None),
    ("2016-10-14", Some("newton")),
    ("2017-02-24", Some("ocata")),
    ("2017-09-01", Some("pike")),
    ("2018-03-02", Some("queens")),
    ("2018-08-31", Some("rocky")),
    ("2021-04-16", Some("wallaby")),
];

/// A function implementation (Heat's class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    GetParam,
    GetResource,
    /// `GetAttThenSelect` (2013-05-23: `select`), `GetAtt` (2014-10-16), `GetAttAllAttributes`
    /// (2015-10-15 on: `all`).
    GetAttr {
        all: bool,
        select: bool,
    },
    GetFile,
    ResourceFacade,
    /// `Join` (one list, strings only) or `JoinMultiple` (JSON for maps and lists).
    ListJoin {
        multiple: bool,
    },
    /// `Replace`, `ReplaceJson`, `ReplaceJsonStrict`, `ReplaceJsonVeryStrict`.
    StrReplace {
        json: bool,
        strict: bool,
        allow_empty: bool,
    },
    /// `Repeat`, `RepeatWithMap`, `RepeatWithNestedLoop`.
    Repeat {
        maps: bool,
        permutations: bool,
    },
    Digest,
    StrSplit,
    MapMerge,
    MapReplace,
    Yaql,
    /// `If`, or `IfNullable` (2021-04-16: the false branch may be omitted).
    If {
        nullable: bool,
    },
    Equals,
    Not,
    And,
    Or,
    Contains,
    Filter,
    MakeUrl,
    ListConcat {
        unique: bool,
    },
    /// CloudFormation functions of 2013-05-23 (`Fn::Select` lives until 2015-04-30).
    Cfn(Cfn),
    /// Listed as removed: refused at validation.
    Removed,
    /// A function that is not allowed where it appears (a condition).
    Invalid,
}

/// The CloudFormation-style functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cfn {
    GetAzs,
    Ref,
    Select,
    Join,
    Split,
    Replace,
    Base64,
    MemberListToMap,
    ResourceFacade,
}

const CFN_NAMES: [(&str, Cfn); 9] = [
    ("Fn::GetAZs", Cfn::GetAzs),
    ("Ref", Cfn::Ref),
    ("Fn::Select", Cfn::Select),
    ("Fn::Join", Cfn::Join),
    ("Fn::Split", Cfn::Split),
    ("Fn::Replace", Cfn::Replace),
    ("Fn::Base64", Cfn::Base64),
    ("Fn::MemberListToMap", Cfn::MemberListToMap),
    ("Fn::ResourceFacade", Cfn::ResourceFacade),
];

/// The date of a `heat_template_version` value (an alias is resolved), if Heat accepts it.
pub(in crate::fakes::heat) fn date_of(version: &str) -> Option<&'static str> {
    VERSIONS
        .iter()
        .find(|(date, alias)| *date == version || *alias == Some(version))
        .map(|(date, _)| *date)
}

/// The function `name` means in a template of `date` (outside conditions).
pub(super) fn function(date: &str, name: &str) -> Option<Kind> {
    let since = |d: &str| date >= d;
    if let Some((_, cfn)) = CFN_NAMES.iter().find(|(n, _)| *n == name) {
        let alive = date < "2014-10-16" || (*cfn == Cfn::Select && date < "2015-10-15");
        return Some(if alive {
            Kind::Cfn(*cfn)
        } else {
            Kind::Removed
        });
    }
    let json = since("2015-10-15");
    Some(match name {
        "get_param" => Kind::GetParam,
        "get_resource" => Kind::GetResource,
        "get_file" => Kind::GetFile,
        "resource_facade" => Kind::ResourceFacade,
        "get_attr" => Kind::GetAttr {
            all: json,
            select: date < "2014-10-16",
        },
        "list_join" => Kind::ListJoin { multiple: json },
        "str_replace" => Kind::StrReplace {
            json,
            strict: false,
            allow_empty: true,
        },
        "repeat" if since("2015-04-30") => Kind::Repeat {
            maps: since("2016-10-14"),
            permutations: since("2017-09-01"),
        },
        "digest" if since("2015-04-30") => Kind::Digest,
        "str_split" if json => Kind::StrSplit,
        "map_merge" if since("2016-04-08") => Kind::MapMerge,
        "yaql" if since("2016-10-14") => Kind::Yaql,
        "map_replace" if since("2016-10-14") => Kind::MapReplace,
        "if" if since("2016-10-14") => Kind::If {
            nullable: since("2021-04-16"),
        },
        "filter" if since("2017-02-24") => Kind::Filter,
        "str_replace_strict" if since("2017-02-24") => Kind::StrReplace {
            json: true,
            strict: true,
            allow_empty: true,
        },
        "str_replace_vstrict" if since("2017-09-01") => Kind::StrReplace {
            json: true,
            strict: true,
            allow_empty: false,
        },
        "make_url" if since("2017-09-01") => Kind::MakeUrl,
        "list_concat" if since("2017-09-01") => Kind::ListConcat { unique: false },
        "list_concat_unique" if since("2017-09-01") => Kind::ListConcat { unique: true },
        "contains" if since("2017-09-01") => Kind::Contains,
        _ => return None,
    })
}

/// The function `name` means inside a condition (2016-10-14 on): the condition functions, and
/// every other function of the version is [`Kind::Invalid`] there.
pub(super) fn condition_function(date: &str, name: &str) -> Option<Kind> {
    let modern = date >= "2017-09-01";
    match name {
        "get_param" => Some(Kind::GetParam),
        "equals" => Some(Kind::Equals),
        "not" => Some(Kind::Not),
        "and" => Some(Kind::And),
        "or" => Some(Kind::Or),
        "yaql" if modern => Some(Kind::Yaql),
        "contains" if modern => Some(Kind::Contains),
        _ => function(date, name).map(|_| Kind::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_gate_functions_as_heat_does() {
        assert_eq!(date_of("pike"), Some("2017-09-01"));
        assert_eq!(date_of("2014-01-01"), None);
        assert_eq!(function("2013-05-23", "map_merge"), None);
        assert_eq!(function("2016-04-08", "map_merge"), Some(Kind::MapMerge));
        assert_eq!(
            function("2013-05-23", "Fn::Join"),
            Some(Kind::Cfn(Cfn::Join))
        );
        assert_eq!(function("2014-10-16", "Fn::Join"), Some(Kind::Removed));
        assert_eq!(
            function("2015-04-30", "Fn::Select"),
            Some(Kind::Cfn(Cfn::Select))
        );
        assert_eq!(function("2015-10-15", "Fn::Select"), Some(Kind::Removed));
        assert_eq!(condition_function("2016-10-14", "contains"), None);
        assert_eq!(
            condition_function("2017-09-01", "list_join"),
            Some(Kind::Invalid)
        );
    }
}
