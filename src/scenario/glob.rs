//! The one glob engine of scenarios (stack, target and key names, checkpoint patterns, held
//! keys): `*` any run of characters, `?` one character (of UTF-8: a lead byte and its
//! continuation bytes), the rest literal.

/// Whether `name` matches `pattern`. Iterative, with one backtrack point per `*` run, so
/// linear-time in practice whatever the pattern. Names are bytes (etcd keys need not be
/// UTF-8); `?` and `*` step over whole characters, so a match never splits one.
pub(crate) fn glob(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(b'?') => {
                p += 1;
                n = next_char(name, n);
            }
            Some(c) if *c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    let sn = next_char(name, sn);
                    p = sp + 1;
                    n = sn;
                    star = Some((sp, sn));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

/// Where the character at `at` ends: after its lead byte and any continuation bytes.
fn next_char(name: &[u8], at: usize) -> usize {
    let continuation = |b: &u8| b & 0b1100_0000 == 0b1000_0000;
    at + 1
        + name[at + 1..]
            .iter()
            .take_while(|b| continuation(b))
            .count()
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_names() {
        assert!(glob(b"lb_*", b"lb_1"));
        assert!(glob(b"*_?", b"port_a"));
        assert!(!glob(b"lb_*", b"port_1"));
        assert!(glob(b"exact", b"exact"));
    }

    #[test]
    fn many_stars_stay_fast() {
        let name = vec![b'a'; 200];
        assert!(!glob(b"*a*a*a*a*a*a*a*a*a*a*b", &name));
        assert!(glob(b"*a*a*", &name));
        assert!(glob(b"", b""));
        assert!(!glob(b"", b"a"));
    }

    #[test]
    fn a_question_mark_is_one_character_not_one_byte() {
        assert!(glob("port_?".as_bytes(), "port_é".as_bytes()));
        assert!(!glob("port_??".as_bytes(), "port_é".as_bytes()));
        assert!(glob("*?".as_bytes(), "é".as_bytes()));
        assert!(glob("*é?".as_bytes(), "aébé€".as_bytes()));
        assert!(!glob("*?é".as_bytes(), "é".as_bytes()));
        // Not UTF-8: each stray byte is a character.
        assert!(glob(b"a?b", b"a\xffb"));
    }

    #[test]
    fn literal_text_is_literal() {
        assert!(glob(b"/a.b/[x]+", b"/a.b/[x]+"));
        assert!(!glob(b"/a.b", b"/axb"));
        assert!(glob(b"/a/*", b"/a/line\nbreak"));
    }
}
