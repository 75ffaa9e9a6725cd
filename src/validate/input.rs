//! PostgreSQL's input functions for the types whose text has a grammar of
//! its own, rebuilt to refuse exactly what PostgreSQL refuses: array
//! literals (`array_in`), `boolean` (`boolin`), `json` and `jsonb`,
//! `numeric` with its precision and scale, and the length limit of
//! `varchar(n)` / `char(n)`. Each takes the value's text, COPY escapes
//! already decoded.

/// A boolean as PostgreSQL's `boolin` reads it: `t`/`f`, `1`/`0`, any
/// prefix of `true`, `false`, `yes`, `no`, and `on`, `of`/`off`, in any case,
/// with blanks around.
pub fn parse_bool(raw: &[u8]) -> Option<bool> {
    let v = raw.trim_ascii().to_ascii_lowercase();
    let prefix = |word: &[u8], min: usize| v.len() >= min && word.starts_with(&v);
    if v == b"1" || prefix(b"true", 1) || prefix(b"yes", 1) || prefix(b"on", 2) {
        Some(true)
    } else if v == b"0" || prefix(b"false", 1) || prefix(b"no", 1) || prefix(b"off", 2) {
        Some(false)
    } else {
        None
    }
}

/// PostgreSQL's `isspace`, the blank its input functions skip.
fn blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Why `array_in` refuses a literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadArray {
    Malformed,
    /// Nested deeper than PostgreSQL's six dimensions (how deep, as found).
    TooManyDimensions(usize),
}

impl std::fmt::Display for BadArray {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadArray::Malformed => f.write_str("malformed array literal"),
            BadArray::TooManyDimensions(n) => write!(
                f,
                "number of array dimensions ({n}) exceeds the maximum allowed (6)"
            ),
        }
    }
}

/// An array literal (`{a,"b c",NULL}`, nested, with an optional
/// `[1:2]=` dimension decoration); `element` judges each non-NULL element.
/// `scratch` holds one element at a time (reused: no allocation per row).
pub fn array(
    text: &[u8],
    element: &dyn Fn(&[u8]) -> bool,
    scratch: &mut Vec<u8>,
) -> Result<(), BadArray> {
    let bad = || Err(BadArray::Malformed);
    let mut i = 0;
    while i < text.len() && blank(text[i]) {
        i += 1;
    }
    let declared = if text.get(i) == Some(&b'[') {
        let Some((dims, next)) = decoration(text, i) else {
            return bad();
        };
        i = next;
        Some(dims)
    } else {
        None
    };
    if text.get(i) != Some(&b'{') {
        return bad();
    }
    let mut shape = Shape::default();
    i = level(
        text,
        i,
        0,
        &mut shape,
        &mut Item {
            element,
            value: scratch,
        },
    )?;
    if text[i..].iter().any(|&b| !blank(b)) {
        return bad();
    }
    if shape.dims.len() > 6 {
        return Err(BadArray::TooManyDimensions(shape.dims.len()));
    }
    let found: Vec<usize> = shape.dims.iter().map(|d| d.unwrap_or(0)).collect();
    match declared {
        Some(d) if d != found => bad(),
        _ => Ok(()),
    }
}

/// `[lb:ub][ub]...=`: the lengths it declares, and where the `{` should be.
fn decoration(t: &[u8], mut i: usize) -> Option<(Vec<usize>, usize)> {
    let int = |i: &mut usize| -> Option<i64> {
        let start = *i;
        if matches!(t.get(*i), Some(b'+' | b'-')) {
            *i += 1;
        }
        while t.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        std::str::from_utf8(&t[start..*i]).ok()?.parse().ok()
    };
    let mut dims = Vec::new();
    while t.get(i) == Some(&b'[') {
        i += 1;
        let first = int(&mut i)?;
        let (lb, ub) = if t.get(i) == Some(&b':') {
            i += 1;
            (first, int(&mut i)?)
        } else {
            (1, first)
        };
        if t.get(i) != Some(&b']') || ub < lb {
            return None;
        }
        i += 1;
        dims.push(usize::try_from(ub - lb + 1).ok()?);
    }
    while t.get(i).is_some_and(|&b| blank(b)) {
        i += 1;
    }
    if t.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while t.get(i).is_some_and(|&b| blank(b)) {
        i += 1;
    }
    Some((dims, i))
}

/// The lengths found at each depth; every sub-array of a level must match.
#[derive(Default)]
struct Shape {
    dims: Vec<Option<usize>>,
    /// The depth elements sit at, once one is seen.
    leaf: Option<usize>,
}

/// Reads the `{...}` at `i`, at nesting `depth`; returns where it ends.
fn level(
    t: &[u8],
    mut i: usize,
    depth: usize,
    shape: &mut Shape,
    item: &mut Item,
) -> Result<usize, BadArray> {
    let bad = || BadArray::Malformed;
    if depth > 6 {
        return Err(BadArray::TooManyDimensions(7));
    }
    if shape.dims.len() <= depth {
        shape.dims.resize(depth + 1, None);
    }
    i += 1;
    let skip = |i: &mut usize| {
        while t.get(*i).is_some_and(|&b| blank(b)) {
            *i += 1;
        }
    };
    skip(&mut i);
    let mut count = 0;
    if t.get(i) == Some(&b'}') {
        // `{}` is an empty array only at the top.
        return if depth == 0 { Ok(i + 1) } else { Err(bad()) };
    }
    loop {
        skip(&mut i);
        if t.get(i) == Some(&b'{') {
            i = level(t, i, depth + 1, shape, item)?;
        } else {
            if *shape.leaf.get_or_insert(depth) != depth {
                return Err(bad());
            }
            i = item.read(t, i).ok_or_else(bad)?;
        }
        count += 1;
        skip(&mut i);
        match t.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => break,
            _ => return Err(bad()),
        }
    }
    if shape.leaf.is_some_and(|l| l < depth) {
        return Err(bad());
    }
    match shape.dims[depth] {
        Some(n) if n != count => return Err(bad()),
        Some(_) => {}
        None => shape.dims[depth] = Some(count),
    }
    Ok(i + 1)
}

/// How elements are judged, and the buffer one is read into.
struct Item<'a> {
    element: &'a dyn Fn(&[u8]) -> bool,
    value: &'a mut Vec<u8>,
}

impl Item<'_> {
    /// One element, quoted or not; returns where it ends.
    fn read(&mut self, t: &[u8], i: usize) -> Option<usize> {
        self.value.clear();
        read_item(t, i, self.element, self.value)
    }
}

fn read_item(
    t: &[u8],
    mut i: usize,
    element: &dyn Fn(&[u8]) -> bool,
    value: &mut Vec<u8>,
) -> Option<usize> {
    if t.get(i) == Some(&b'"') {
        i += 1;
        loop {
            match *t.get(i)? {
                b'"' => break,
                b'\\' => {
                    value.push(*t.get(i + 1)?);
                    i += 2;
                }
                b => {
                    value.push(b);
                    i += 1;
                }
            }
        }
        return element(value).then_some(i + 1);
    }
    // Unquoted: up to a delimiter; blanks at the end do not count unless
    // escaped.
    let mut kept = 0;
    let mut escaped = false;
    loop {
        match *t.get(i)? {
            b',' | b'}' => break,
            b'{' | b'"' => return None,
            b'\\' => {
                value.push(*t.get(i + 1)?);
                kept = value.len();
                escaped = true;
                i += 2;
            }
            b => {
                value.push(b);
                if !blank(b) {
                    kept = value.len();
                }
                i += 1;
            }
        }
    }
    value.truncate(kept);
    if value.is_empty() {
        return None;
    }
    let null = !escaped && value.eq_ignore_ascii_case(b"null");
    (null || element(value)).then_some(i)
}

/// JSON as PostgreSQL's parser reads it. `jsonb` adds its own refusals:
/// `\u0000`, unpaired surrogates, and numbers beyond `numeric`.
pub fn json(t: &[u8], jsonb: bool) -> bool {
    let mut p = Json { t, i: 0, jsonb };
    // An explicit stack, not recursion: nesting depth is the user's.
    let mut stack: Vec<u8> = Vec::new();
    p.ws();
    loop {
        // A value.
        match p.peek() {
            Some(b'{') => {
                p.i += 1;
                p.ws();
                if p.peek() == Some(b'}') {
                    p.i += 1;
                } else {
                    if !p.key() {
                        return false;
                    }
                    stack.push(b'}');
                    continue;
                }
            }
            Some(b'[') => {
                p.i += 1;
                p.ws();
                if p.peek() == Some(b']') {
                    p.i += 1;
                } else {
                    stack.push(b']');
                    continue;
                }
            }
            Some(b'"') => {
                if !p.string() {
                    return false;
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                if !p.number() {
                    return false;
                }
            }
            _ => {
                if !(p.word(b"true") || p.word(b"false") || p.word(b"null")) {
                    return false;
                }
            }
        }
        // After a value: close containers or go on to the next member.
        match p.after_value(&mut stack) {
            Some(true) => {}
            Some(false) => return p.i == t.len(),
            None => return false,
        }
    }
}

struct Json<'a> {
    t: &'a [u8],
    i: usize,
    jsonb: bool,
}

impl Json<'_> {
    /// Past a value: closes the containers that end here. `Some(true)` when
    /// another member follows (the cursor on it), `Some(false)` when the
    /// outermost value is done, `None` on a syntax error.
    fn after_value(&mut self, stack: &mut Vec<u8>) -> Option<bool> {
        loop {
            self.ws();
            let Some(&close) = stack.last() else {
                return Some(false);
            };
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    return (close != b'}' || self.key()).then_some(true);
                }
                Some(c) if c == close => {
                    self.i += 1;
                    stack.pop();
                }
                _ => return None,
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.t.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn word(&mut self, w: &[u8]) -> bool {
        let end = self.i + w.len();
        let ok = self.t.get(self.i..end) == Some(w)
            && !self
                .t
                .get(end)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if ok {
            self.i = end;
        }
        ok
    }

    /// `"name" :`, leaving the cursor on the value.
    fn key(&mut self) -> bool {
        if self.peek() != Some(b'"') || !self.string() {
            return false;
        }
        self.ws();
        if self.peek() != Some(b':') {
            return false;
        }
        self.i += 1;
        self.ws();
        true
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.t.get(self.i..self.i + 4)?;
        let v = u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?;
        self.i += 4;
        Some(v)
    }

    fn string(&mut self) -> bool {
        self.i += 1;
        loop {
            match self.peek() {
                None => return false,
                Some(b'"') => {
                    self.i += 1;
                    return true;
                }
                Some(c) if c < 0x20 => return false,
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            self.i += 1;
                            if !self.unicode() {
                                return false;
                            }
                        }
                        _ => return false,
                    }
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// The digits of a `\u` escape, and for jsonb the rules of its value.
    fn unicode(&mut self) -> bool {
        let Some(v) = self.hex4() else {
            return false;
        };
        if !self.jsonb {
            return true;
        }
        match v {
            0 => false,
            0xD800..=0xDBFF => {
                if self.t.get(self.i..self.i + 2) != Some(b"\\u") {
                    return false;
                }
                self.i += 2;
                matches!(self.hex4(), Some(0xDC00..=0xDFFF))
            }
            0xDC00..=0xDFFF => false,
            _ => true,
        }
    }

    fn number(&mut self) -> bool {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.i += 1;
            }
            p.i - s
        };
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return false,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return false;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return false;
            }
        }
        // `01`, `1x`: the token goes on where a number cannot.
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            return false;
        }
        !self.jsonb || numeric(&self.t[start..self.i], None).is_ok()
    }
}

/// Digits before the decimal point `numeric` can hold, and after it.
const NUMERIC_WEIGHT_DIGITS: i64 = 131_072;
const NUMERIC_SCALE_MAX: i64 = 16_383;

/// A `numeric` value; `typmod` is `(precision, scale)` when declared.
pub fn numeric(text: &[u8], typmod: Option<(i64, i64)>) -> Result<(), &'static str> {
    let t = text.trim_ascii();
    let body = t
        .strip_prefix(b"-")
        .or_else(|| t.strip_prefix(b"+"))
        .unwrap_or(t);
    if t.eq_ignore_ascii_case(b"nan") {
        return Ok(());
    }
    if body.eq_ignore_ascii_case(b"infinity") || body.eq_ignore_ascii_case(b"inf") {
        return match typmod {
            Some(_) => Err("numeric field overflow: a numeric with precision cannot hold infinity"),
            None => Ok(()),
        };
    }
    let syntax = "not a numeric";
    let (mantissa, exp) = match body.iter().position(|&b| b == b'e' || b == b'E') {
        Some(e) => {
            let x = std::str::from_utf8(&body[e + 1..]).map_err(|_| syntax)?;
            let digits = x.strip_prefix(['+', '-']).unwrap_or(x);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax);
            }
            (
                &body[..e],
                x.parse::<i64>()
                    .unwrap_or(i64::MAX)
                    .clamp(-1_000_000_000, 1_000_000_000),
            )
        }
        None => (body, 0),
    };
    let (int, frac) = match mantissa.iter().position(|&b| b == b'.') {
        Some(p) => (&mantissa[..p], &mantissa[p + 1..]),
        None => (mantissa, &[][..]),
    };
    let all_digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    if int.len() + frac.len() == 0 || !all_digits(int) || !all_digits(frac) {
        return Err(syntax);
    }
    // value = 0.D x 10^point, D the digits without leading zeros.
    let digits: Vec<u8> = int.iter().chain(frac).copied().collect();
    let lead = digits.iter().take_while(|&&d| d == b'0').count();
    let sig = &digits[lead..];
    let point = int.len() as i64 - lead as i64 + exp;
    let scale = (frac.len() as i64 - exp).max(0);
    if scale > NUMERIC_SCALE_MAX || (!sig.is_empty() && point > NUMERIC_WEIGHT_DIGITS) {
        return Err("value overflows numeric format");
    }
    match typmod {
        Some((precision, s)) if !fits(sig, point, precision, s) => {
            Err("numeric field overflow: the value does not fit the column's precision and scale")
        }
        _ => Ok(()),
    }
}

/// Whether 0.`sig` x 10^`point`, rounded to `s` decimals (half away from
/// zero), is under 10^(precision - s), as a `numeric(precision, s)` demands.
fn fits(sig: &[u8], point: i64, precision: i64, s: i64) -> bool {
    let keep = point + s;
    if keep < 0 || sig.is_empty() {
        return true;
    }
    let keep = keep as usize;
    let mut point = point;
    if keep < sig.len() && sig[keep] >= b'5' && sig[..keep].iter().all(|&d| d == b'9') {
        // 0.999.. rounds up to 1.000..: one digit more before the point.
        point += 1;
    } else if keep == 0 {
        return true;
    }
    point <= precision - s
}

/// `varchar(n)` / `char(n)`: at most `n` characters, unless the rest are
/// spaces (which PostgreSQL drops).
pub fn fits_length(text: &str, n: usize) -> bool {
    match text.char_indices().nth(n) {
        None => true,
        Some((at, _)) => text[at..].bytes().all(|b| b == b' '),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arr(s: &str) -> bool {
        array(s.as_bytes(), &|_| true, &mut Vec::new()).is_ok()
    }

    #[test]
    fn array_literals_as_array_in_reads_them() {
        for good in [
            "{}",
            " {a, b } ",
            "{a b}",
            "{NULL,null,\"NULL\"}",
            "[1:2]={a,b}",
            "[0:1]={a,b}",
            "{a} ",
            "{a\\,b}",
            "{ }",
            "{\"\"}",
            "{a\\ }",
            "{ \\ a}",
            "[-2:-1]={a,b}",
            "[2]={a,b}",
            "{{a,b},{c,d}}",
            "{{{{{{a}}}}}}",
        ] {
            assert!(arr(good), "{good}");
        }
        for bad in [
            "{{}}",
            "{{},{}}",
            "{{a},{}}",
            "{\"a\"b}",
            "{a\"b\"}",
            "{,}",
            "{a,}",
            "[1:3]={a,b}",
            "{a}x",
            "{{a,b},{c}}",
            "{{a},b}",
            "{a,{b}}",
            "{a\\}",
            "{{{{{{{a}}}}}}}",
            "{a{b}",
            "[1:2]{a,b}",
            "a",
            "",
        ] {
            assert!(!arr(bad), "{bad}");
        }
        let digits = |e: &[u8]| e.iter().all(u8::is_ascii_digit);
        assert!(array(b"{1,x}", &digits, &mut Vec::new()).is_err());
        assert!(array(b"{1,NULL}", &digits, &mut Vec::new()).is_ok());
    }

    #[test]
    fn json_as_postgresql_reads_it() {
        for good in [
            "-0",
            "1e5",
            "1E+5",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "{\"a\":1,\"a\":2}",
            " [1 , 2] ",
            "\"\\/\"",
            "{}",
            "[[],{}]",
        ] {
            assert!(json(good.as_bytes(), false), "{good}");
        }
        for bad in [
            "01",
            "1.",
            ".5",
            "-",
            "[1,]",
            "\"a\tb\"",
            "\"\\x\"",
            "NaN",
            "tru",
            "true false",
            "{\"a\"}",
            "\x0c1",
            "",
            "[1}",
            "{\"a\":1,}",
        ] {
            assert!(!json(bad.as_bytes(), false), "{bad}");
            assert!(!json(bad.as_bytes(), true), "{bad}");
        }
        for jsonb_only in [
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800x\"",
            "1e1000000",
        ] {
            assert!(!json(jsonb_only.as_bytes(), true), "{jsonb_only}");
        }
        assert!(json(b"\"\\ud800\\udc00\"", true) && json(b"1e131071", true));
    }

    #[test]
    fn numeric_with_precision_and_scale() {
        let n = |s: &str, t| numeric(s.as_bytes(), t).is_ok();
        assert!(
            n(" 1.5 ", None)
                && n("+.5", None)
                && n("5.", None)
                && n("nan", None)
                && n("-Infinity", None)
        );
        assert!(
            !n(".", None)
                && !n("1_000", None)
                && !n("0x10", None)
                && !n("1e", None)
                && !n("1.2.3", None)
        );
        let p = Some((5, 2));
        assert!(n("999.994", p) && n("0.001", p) && n("NaN", p) && n("1e2", p));
        assert!(!n("999.995", p) && !n("-999.995", p) && !n("Infinity", p) && !n("12345", p));
        assert!(n("1234", Some((3, -1))) && !n("9995", Some((3, -1))));
        assert!(
            n("0.0099", Some((2, 4))) && !n("0.01", Some((2, 4))) && n("0.00994999", Some((2, 4)))
        );
    }

    #[test]
    fn lengths_count_characters_and_forgive_trailing_spaces() {
        assert!(fits_length("abc  ", 3) && fits_length("été", 3));
        assert!(!fits_length("abcd", 3) && !fits_length("ab c", 2));
    }
}
