//! Language data for the segmenter: abbreviations that keep their final period.
//!
//! Each list holds abbreviations without the final period. `*_ANY_CASE` entries also match
//! capitalised (`bv` → `Bv.`), and dotted ones in capitals (`u.s` → `U.S.`); `*_EXACT` entries
//! match only as written (`jan` is a month abbreviation, `Jan.` is a name ending a sentence).
//! `*_CAN_END` entries are the ones that may end a sentence (`… boeken, kranten enz. De …`);
//! every other abbreviation, initial or dotted acronym is taken to continue the sentence
//! (`dhr. Jansen`, `J.F. Kennedy`).

use crate::doc::Lang;

const NL_ANY_CASE: &[&str] = &[
    "a.d", "a.h.w", "a.j", "a.s", "a.u.b", "aanv", "adj", "adv", "afb", "afd", "afk", "alg", "art",
    "b.b.h.h", "b.d", "b.v", "b.v.b.a", "bijv", "bijz", "blz", "bv", "bvb", "c.q", "c.s", "ca",
    "cf", "cfr", "chr", "d.d", "d.i", "d.m.v", "d.w.z", "dhr", "dir", "dr", "drs", "ds", "e.a",
    "e.d", "e.e.a", "e.o", "e.v", "enz", "etc", "evt", "excl", "fa", "fig", "gem", "gesch", "gest",
    "gr", "hfdst", "i.c", "i.e", "i.h.a", "i.o", "i.p.v", "i.s.m", "i.t.t", "i.v.m", "incl", "ing",
    "ir", "jhr", "jl", "jr", "kand", "lic", "lt", "m.a.w", "m.b.t", "m.b.v", "m.i", "m.m.v", "max",
    "mevr", "mgr", "mld", "mln", "mr", "mw", "n.a.v", "n.b", "n.chr", "n.o", "nl", "nr", "nrs",
    "o.a", "o.b.v", "o.i.d", "o.l.v", "o.m", "o.t.t", "p.a", "p.p", "pag", "plm", "pr", "prof",
    "r.k", "resp", "rk", "sr", "st", "t.a.v", "t.b.v", "t.e.m", "t.g.v", "t.h.v", "t.n.v", "t.o.v",
    "t.w", "tel", "v.a", "v.chr", "v.d", "v.h", "v.l.n.r", "vgl", "vnl", "vs", "w.o", "z.g",
    "z.g.a.n", "z.s.m", "zgn", "zg", "zog",
];

const NL_EXACT: &[&str] = &[
    // Months (lowercase only: `Jan.` is a name), units.
    "jan", "feb", "febr", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
    "km", "cm", "mm", "kg", "gr", "min", "sec", "mil", "mld", "mln",
];

const NL_CAN_END: &[&str] = &[
    "enz", "etc", "e.d", "e.a", "e.o", "c.s", "jl", "e.v", "km", "cm", "mm", "kg", "gr", "min",
    "sec", "mil", "mld", "mln", "jr", "sr",
];

const EN_ANY_CASE: &[&str] = &[
    "a.k.a", "a.m", "al", "approx", "apt", "assn", "ave", "blvd", "bros", "capt", "cf", "cmdr",
    "co", "col", "corp", "cpl", "dept", "dr", "e.g", "esp", "est", "etc", "ext", "fig", "ft",
    "gen", "gov", "hon", "i.e", "inc", "jr", "lb", "lbs", "lt", "ltd", "maj", "messrs", "mr",
    "mrs", "ms", "mt", "oz", "p.m", "ph.d", "pp", "prof", "pvt", "rep", "reps", "rev", "sen",
    "sens", "sgt", "sr", "st", "supt", "u.k", "u.n", "u.s", "u.s.a", "viz", "vol", "vs",
];

const EN_EXACT: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Tues",
    "Thur", "Thurs", "km", "cm", "mm", "kg", "min", "sec", "hr", "hrs",
];

const EN_CAN_END: &[&str] = &[
    "etc", "inc", "ltd", "co", "corp", "bros", "jr", "sr", "a.m", "p.m", "km", "cm", "mm", "kg",
    "min", "sec", "hr", "hrs",
];

/// What kind of abbreviation `core` (the word without its final period) is, if any.
pub(super) fn abbreviation(core: &str, lang: Lang) -> Option<Abbrev> {
    let (any_case, exact, can_end) = match lang {
        Lang::Nl => (NL_ANY_CASE, NL_EXACT, NL_CAN_END),
        Lang::En => (EN_ANY_CASE, EN_EXACT, EN_CAN_END),
    };
    if core.is_empty() || core.len() > 12 {
        return None;
    }
    let lower = core.to_lowercase();
    // Capitalised or lowercase (`Bv.`, `bv.`), or dotted in any case (`U.S.`, `D.W.Z.`); not
    // capitals only (`BV.` is a company form ending a sentence).
    let any_case_fits = core.contains('.') || !core.chars().skip(1).any(char::is_uppercase);
    let found = exact.contains(&core) || (any_case_fits && any_case.contains(&lower.as_str()));
    if !found {
        return None;
    }
    Some(if can_end.contains(&lower.as_str()) {
        Abbrev::CanEnd
    } else {
        Abbrev::Continues
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Abbrev {
    /// Usually followed by more of the sentence (titles, `o.a.`, `nr.`): never ends one.
    Continues,
    /// May end a sentence when the next word starts like a sentence.
    CanEnd,
}

/// English contractions written without an apostrophe that EWT splits like their spelled
/// forms (`cannot` → `can not`, `gonna` → `gon na`, `dont` → `do nt`): the split point in bytes.
pub(super) fn english_fused(word: &str) -> Option<usize> {
    let lower = word.to_ascii_lowercase();
    let split = match lower.as_str() {
        "cannot" => 3,
        "gonna" | "wanna" | "gotta" | "outta" => 3,
        "dont" | "didnt" | "doesnt" | "isnt" | "wasnt" | "werent" | "arent" | "havent"
        | "hasnt" | "hadnt" | "couldnt" | "wouldnt" | "shouldnt" | "cant" => lower.len() - 2,
        _ => return None,
    };
    Some(split)
}

/// Prefixes after which EWT keeps a hyphenated word whole (`e-mail`, `non-commercial`).
pub(super) fn english_prefix(part: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "e", "non", "pre", "anti", "re", "mid", "post", "co", "over", "pro", "multi", "ex", "sub",
        "semi", "psycho", "neo", "cross", "un", "intra", "inter", "counter", "socio", "micro",
        "vice", "ultra", "mega", "bi", "tri", "mis", "hyper", "trans", "pseudo", "quasi", "de",
    ];
    part.len() <= 7 && PREFIXES.iter().any(|p| p.eq_ignore_ascii_case(part))
}
