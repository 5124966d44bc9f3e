//! The statement rules, written once over Universal Dependencies trees.
//!
//! Two passes over each article. The first reads roles from noun phrases ("de Russische
//! president Vladimir Poetin", "Maria Zakharova, woordvoerster van …", "X is minister van …"),
//! so that the second can resolve a bare "de Russische minister" to the person who holds that
//! role. The second reads clauses: for every predicate it gathers subject, objects and
//! obliques (passives turned round, conjuncts and controlled infinitives given their subject),
//! folds auxiliaries, modals and negation into modality and polarity, picks the relation (a
//! light-verb phrase, a lexicon verb, or the lemma itself as an open relation), and adds time,
//! place and attribution. Reported speech marks the tokens it covers so their statements carry
//! the speaker; "Dat meldt X" hands the previous sentence's statements to X.

use std::collections::HashMap;

use crate::doc::{Lang, Upos};
use crate::extract::tree::Tree;
use crate::extract::words::{Mood, Words};
use crate::extract::{Arg, Found};
use crate::gazetteer::Gazetteer;
use crate::graph::{EntityKind, Modality, Polarity};
use crate::lexicon::{Lexicon, Relation};
use crate::resolve::Mentions;

/// Relations whose object is what someone said: their clause complements and quotes carry the
/// speaker as attribution.
pub const SPEECH: [&str; 7] = [
    "say", "report", "announce", "confirm", "deny", "warn", "demand",
];

/// Relations whose object may be a thing rather than an entity: "prees de samenwerking",
/// "kondigde sancties aan", "richten een fusiebedrijf op". Others ("liggen in", "nemen over")
/// read wrongly with a common noun as object, so they need a named one.
pub const LITERAL_OBJECTS: [&str; 17] = [
    "praise",
    "criticize",
    "condemn",
    "support",
    "oppose",
    "reject",
    "announce",
    "confirm",
    "deny",
    "demand",
    "sign",
    "found",
    "investigate",
    "win",
    "lose",
    "lead",
    "sell",
];

/// Adjectives that belong to a position's title.
const TITLE_ADJECTIVES: [&str; 8] = [
    "eerste", "federaal", "federale", "vlaams", "vlaamse", "waals", "waalse", "prime",
];

/// The confidence of an open relation (a verb outside the lexicon): below the default
/// `--min-confidence`, since on the development set most such edges did not read as facts.
pub const OPEN_CONFIDENCE: f32 = 0.45;

/// How an argument was tied to its entity; the less direct, the lower the confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Name,
    /// A noun with the name in apposition ("president Vladimir Poetin").
    Apposition,
    /// A relative pronoun standing for the noun its clause modifies.
    Relative,
    Pronoun,
    /// A bare role noun ("de Russische minister") matched to the one person holding it.
    Role,
}

impl Via {
    fn factor(self) -> f32 {
        match self {
            Via::Name | Via::Apposition => 1.0,
            Via::Relative => 0.95,
            Via::Pronoun => 0.85,
            Via::Role => 0.85,
        }
    }
    fn note(self) -> &'static str {
        match self {
            Via::Name | Via::Apposition => "",
            Via::Relative => "+relative",
            Via::Pronoun => "+pronoun",
            Via::Role => "+role-noun",
        }
    }
}

/// A light-verb phrase from the lexicon: noun and verb (lemmas without `_`), preposition.
struct Light<'l> {
    verb: String,
    prep: Option<String>,
    relation: &'l Relation,
}

/// Who holds which role in the article: role lemma → (holder, the country it is a role of,
/// the position or organisation).
type Roles = HashMap<String, Vec<(usize, Option<usize>, usize)>>;

/// Everything the rules need about one article.
pub struct Rules<'a> {
    pub lang: Lang,
    pub words: &'a Words,
    pub lexicon: &'a Lexicon,
    pub gazetteer: &'a Gazetteer,
    light: HashMap<String, Vec<Light<'a>>>,
    roles: Roles,
}

/// A role read from a noun phrase, before it becomes a statement.
struct RoleFact {
    holder: usize,
    role_noun: usize,
    relation: String,
    object: usize,
    country: Option<usize>,
    lo: usize,
    hi: usize,
    rule: &'static str,
    confidence: f32,
}

impl<'a> Rules<'a> {
    pub fn new(
        lang: Lang,
        words: &'a Words,
        lexicon: &'a Lexicon,
        gazetteer: &'a Gazetteer,
    ) -> Self {
        let mut light: HashMap<String, Vec<Light>> = HashMap::new();
        for rel in lexicon.relations() {
            for pattern in rel.light_verbs(lang) {
                let w: Vec<String> = pattern.split_whitespace().map(squash).collect();
                let preps: Vec<String> = rel.prepositions(lang).iter().map(|p| squash(p)).collect();
                let (noun, verb, prep) = match (lang, &w[..]) {
                    (Lang::Nl, [n, v]) => (n, v, None),
                    (Lang::Nl, [n, v, p]) => (n, v, Some(p.clone())),
                    (Lang::En, [v, .., n, p]) if preps.contains(p) || w.len() == 3 => {
                        (n, v, Some(p.clone()))
                    }
                    (Lang::En, [v, .., n]) => (n, v, None),
                    _ => continue,
                };
                light.entry(noun.clone()).or_default().push(Light {
                    verb: verb.clone(),
                    prep,
                    relation: rel,
                });
            }
        }
        Rules {
            lang,
            words,
            lexicon,
            gazetteer,
            light,
            roles: Roles::new(),
        }
    }

    /// Runs both passes over a parsed article.
    pub fn run(&mut self, doc: &crate::doc::Doc, mentions: &mut Mentions) -> Vec<Found> {
        let mut out = Vec::new();
        for s in 0..doc.sentences.len() {
            let tree = self.tree(doc, s, mentions);
            let mut facts = self.roles_in(&tree, mentions);
            facts.extend(self.parenthesised_parties(&tree, mentions));
            for fact in facts {
                out.push(self.role_statement(&tree, &fact));
                let key = role_key(tree.lemma(fact.role_noun));
                let entry = self.roles.entry(key).or_default();
                if !entry.iter().any(|&(h, _, _)| h == fact.holder) {
                    entry.push((fact.holder, fact.country, fact.object));
                }
            }
        }
        for s in 0..doc.sentences.len() {
            let tree = self.tree(doc, s, mentions);
            let first = out.len();
            let backref = self.clauses(&tree, mentions, &mut out);
            // "Dat meldt de Wall Street Journal": the previous sentence's statements are the
            // reporter's, and the reporter reported that sentence.
            if let (Some((speaker, v)), true) = (backref, s > 0) {
                let prev = s - 1;
                // Roles read from noun phrases are background, not the report's content.
                let reported =
                    |st: &&mut Found| st.sentence == prev && !st.rule.starts_with("role-");
                for st in out[..first].iter_mut().filter(reported) {
                    if st.attributed_to.is_none() && st.subject != speaker {
                        st.attributed_to = Some(speaker);
                        if st.modality == Modality::Asserted {
                            st.modality = Modality::Reported;
                        }
                    }
                }
                let relation = self.relation_for_lemma(&verb_lemma(&tree, v));
                let name = relation.map_or("report", |r| r.name.as_str()).to_string();
                let (lo, hi) = tree.trimmed_span(v);
                let text = doc.sentence_text(prev).trim().to_string();
                out.push(Found::plain(
                    speaker,
                    &name,
                    tree.form(v),
                    Arg::Literal(text),
                    0.8,
                    s,
                    tree.bytes(lo, hi),
                    "report-previous-sentence",
                ));
            }
        }
        out
    }

    // ----- pass 1: roles ------------------------------------------------------------------------

    /// Roles stated by noun phrases in one sentence.
    /// Sentence `s`'s tree with the parser's known slips repaired, so that every rule reads the
    /// same corrected tree.
    fn tree<'d>(&self, doc: &'d crate::doc::Doc, s: usize, mentions: &Mentions) -> Tree<'d> {
        let mut tree = Tree::new(doc, s);
        self.rejoin_role_and_name(&mut tree, mentions);
        self.invert_speaker_after_quote(&mut tree);
        subject_read_as_flat(&mut tree);
        self.object_read_as_oblique(&mut tree);
        self.phrase_hung_under_time_word(&mut tree);
        tree
    }

    /// A time word without a preposition ("donderdag", "vorige week"): an adverbial, no
    /// argument, whatever the parser labelled it.
    fn is_bare_time(&self, tree: &Tree, w: usize) -> bool {
        self.words.is_time(tree.lemma(w)) && tree.preposition(w).is_none()
    }

    /// "Lavrov werd donderdag door Poetin ontvangen in het Kremlin" with "door Poetin" hung
    /// under "donderdag": a time word standing alone as an adverbial ("donderdag", "vorige
    /// week"; no article, no preposition) takes no prepositional phrase of its own, so the
    /// phrase is the verb's, and "door" after a passive brings its agent.
    fn phrase_hung_under_time_word(&self, tree: &mut Tree) {
        for w in 0..tree.len() {
            let Some(v) = tree.head(w) else { continue };
            let bare_time = self.is_bare_time(tree, w)
                && !tree
                    .kids(w, &["det"])
                    .any(|d| tree.upos(d) == Upos::Det && tree.feat(d, "PronType") == Some("Art"))
                && matches!(tree.upos(v), Upos::Verb | Upos::Aux);
            if !bare_time {
                continue;
            }
            let phrases: Vec<(usize, String)> = tree
                .kids(w, &["nmod"])
                .filter(|&p| p > w)
                .filter_map(|p| tree.preposition(p).map(|prep| (p, prep)))
                .collect();
            for (p, prep) in phrases {
                let agent = self.is_passive(tree, v) && self.words.is_agent(&prep);
                tree.reattach(p, v, if agent { "obl:agent" } else { "obl" });
            }
        }
    }

    /// "Wang ontmoette … de Russische minister Sergej Lavrov" with the object as `obl`: an
    /// oblique without a preposition that is no time phrase ("vorige week") is the object of
    /// an active verb that has none.
    fn object_read_as_oblique(&self, tree: &mut Tree) {
        for v in 0..tree.len() {
            let active_verb = tree.upos(v) == Upos::Verb
                && !self.is_passive(tree, v)
                && tree.kid(v, &["obj", "ccomp", "cop"]).is_none();
            if !active_verb {
                continue;
            }
            let bare = tree.kids(v, &["obl"]).find(|&o| {
                matches!(tree.upos(o), Upos::Noun | Upos::Propn)
                    && tree.preposition(o).is_none()
                    && !self.words.is_time(tree.lemma(o))
                    && tree.kids(o, &["nummod"]).next().is_none()
            });
            if let Some(o) = bare {
                tree.reattach(o, v, "obj");
            }
        }
    }

    /// "…, legt secretaris-generaal Patrick Du Bois uit": a role noun and the person's name
    /// right after it that the parser made two arguments of the verb (subject and object) are
    /// one phrase: the name is the role noun's apposition.
    fn rejoin_role_and_name(&self, tree: &mut Tree, mentions: &Mentions) {
        for r in 0..tree.len().saturating_sub(1) {
            let name = r + 1;
            let args = ["nsubj", "obj", "iobj", "obl"];
            let split = tree.head(r).is_some()
                && tree.head(name) == tree.head(r)
                && args.contains(&tree.base(r))
                && args.contains(&tree.base(name))
                && tree.kid(name, &["case"]).is_none();
            let person = mentions
                .at(tree.global(name))
                .is_some_and(|m| m.kind == EntityKind::Person && m.start == tree.global(name));
            let role = tree.upos(r) == Upos::Noun
                && mentions.at(tree.global(r)).is_none()
                && self.role_of(tree, r).is_some();
            if split && person && role {
                tree.reattach(name, r, "appos");
            }
        }
    }

    /// "“Dit is geen goed signaal”, meent de minister": a speech verb after a quote whose
    /// whole content the parser made the verb's subject (or an adverbial clause), and the
    /// speaker its (indirect) object. The quote becomes the verb's complement and the speaker its subject.
    fn invert_speaker_after_quote(&self, tree: &mut Tree) {
        let quotes = quote_spans(tree);
        for v in 0..tree.len() {
            if !matches!(tree.upos(v), Upos::Verb | Upos::Aux) || !self.is_speech(tree, v) {
                continue;
            }
            // The dependent must be the whole quote, not a word inside it.
            let quoted = |tree: &Tree, q: usize| {
                let span = tree.trimmed_span(q);
                quotes
                    .iter()
                    .any(|&(a, b)| b < v && tree.trim_punct(a, b) == span)
            };
            let content = tree
                .kids(v, &["nsubj", "csubj", "advcl", "obj", "xcomp", "parataxis"])
                .find(|&q| q < v && quoted(tree, q));
            let speaker = tree
                .kids(v, &["obj", "iobj", "nsubj"])
                .find(|&o| o > v && matches!(tree.upos(o), Upos::Noun | Upos::Propn | Upos::Pron));
            if let (Some(q), Some(o)) = (content, speaker) {
                tree.reattach(q, v, "ccomp");
                tree.reattach(o, v, "nsubj");
            }
        }
    }

    /// The relation a role noun gives its holder, by lemma, else by form: the lemmatizer reads
    /// the alderman "schepen" as the plural of "schip".
    fn role_of(&self, tree: &Tree, r: usize) -> Option<&str> {
        self.words
            .role(tree.lemma(r))
            .or_else(|| self.words.role(&tree.form(r).to_lowercase()))
    }

    fn roles_in(&self, tree: &Tree, mentions: &mut Mentions) -> Vec<RoleFact> {
        let mut facts = Vec::new();
        for r in 0..tree.len() {
            // A role noun, or one the tagger took for an adjective of the name after it
            // ("directievoorzitter Erwin Conradi" as amod).
            let nominal = matches!(tree.upos(r), Upos::Noun | Upos::Propn);
            if !nominal && !(tree.upos(r) == Upos::Adj && tree.base(r) == "amod") {
                continue;
            }
            let Some(relation) = self.role_of(tree, r) else {
                continue;
            };
            if mentions.at(tree.global(r)).is_some() {
                continue; // part of a name ("Partij van de Arbeid")
            }
            // Who holds it: a person in apposition under the noun, the person the noun is in
            // apposition (or a name compound) to, the subject of a copula, or — when the parse
            // went astray — the person named just before ", <role>".
            let person = |t: usize| {
                mentions
                    .at(tree.global(t))
                    .filter(|m| m.kind == EntityKind::Person)
                    .map(|m| m.cluster)
            };
            let mut holder = named_after(tree, r, mentions)
                .filter(|&(_, kind)| kind == EntityKind::Person)
                .map(|(t, _)| (person(t).unwrap_or(usize::MAX), t, "role-apposition", 0.9))
                .filter(|h| h.0 != usize::MAX);
            if holder.is_none() && matches!(tree.base(r), "appos" | "compound" | "flat" | "amod") {
                if let Some(h) = tree.head(r) {
                    if let Some(p) = person(h) {
                        holder = Some((p, h, "role-apposition", 0.9));
                    }
                }
            }
            if holder.is_none() && tree.kid(r, &["cop"]).is_some() {
                if let Some(s) = tree.kid(r, &["nsubj"]) {
                    if let Some(p) = person(s) {
                        holder = Some((p, s, "role-copula", 0.85));
                    }
                }
            }
            if holder.is_none() && r >= 2 {
                // "<name> , [de] <role>"
                let mut k = r - 1;
                if tree.upos(k) == Upos::Det && k > 0 {
                    k -= 1;
                }
                if tree.form(k) == "," && k > 0 {
                    if let Some(p) = person(k - 1) {
                        holder = Some((p, k - 1, "role-comma", 0.75));
                    }
                }
            }
            let Some((holder, name_tok, rule, confidence)) = holder else {
                continue;
            };
            let (a, b) = tree.span(r);
            let (lo, hi) = (a.min(name_tok), b.max(name_tok));
            let fact = |relation: &str, object, country, rule, confidence| RoleFact {
                holder,
                role_noun: r,
                relation: relation.to_string(),
                object,
                country,
                lo,
                hi,
                rule,
                confidence,
            };
            // What the role is of: a "van X" / "of X" phrase, and the country an adjective
            // ("Russische") or such a phrase names.
            let mut country = None;
            let mut of_phrase = None;
            for c in tree.kids(r, &["amod", "nmod:poss", "compound"]) {
                if let Some(place) = self.gazetteer.demonym(tree.form(c)) {
                    country = Some(mentions.intern(
                        &place.name,
                        EntityKind::Place,
                        Some(place.geonames_id),
                        Some("en"),
                    ));
                }
            }
            for c in tree.kids(r, &["nmod"]) {
                let of = tree
                    .preposition(c)
                    .is_some_and(|p| matches!(p.as_str(), "van" | "voor" | "of" | "for"));
                if c == name_tok || !of {
                    continue;
                }
                let m = mentions.at(tree.global(c)).map(|m| (m.cluster, m.kind));
                match m {
                    Some((cl, EntityKind::Place)) if country.is_none() => country = Some(cl),
                    _ => of_phrase = of_phrase.or(Some(c)),
                }
            }
            // "president Poetin" after "de Russische president Vladimir Poetin": the same role.
            let key = role_key(tree.lemma(r));
            let known = (country.is_none() && of_phrase.is_none())
                .then(|| self.roles.get(&key))
                .flatten()
                .and_then(|hs| hs.iter().find(|h| h.0 == holder).map(|h| (h.1, h.2)));
            if let Some((known_country, known_object)) = known {
                country = known_country;
                facts.push(fact(relation, known_object, country, rule, confidence));
                continue;
            }
            let object = if relation == "hold_position" {
                // "Minister Durant" at a sentence's start is the title "minister"; "Mossad-baas"
                // keeps its capital.
                let form = tree.form(r);
                let mut label =
                    if self.words.role(&form.to_lowercase()).is_some() && !form.contains('-') {
                        form.to_lowercase()
                    } else {
                        form.to_string()
                    };
                // "eerste minister", "Vlaams minister": an adjective that is part of the title.
                if r > 0 && tree.head(r - 1) == Some(r) && tree.upos(r - 1) == Upos::Adj {
                    let adj = tree.form(r - 1);
                    if TITLE_ADJECTIVES.contains(&adj.to_lowercase().as_str()) {
                        let adj = if r - 1 == 0 {
                            adj.to_lowercase()
                        } else {
                            adj.to_string()
                        };
                        label = format!("{adj} {label}");
                    }
                }
                if let Some(c) = of_phrase {
                    let (lo, hi) = tree.trimmed_span(c);
                    let lo = lo.max(r + 1);
                    if lo <= hi && hi < name_tok.max(r + 1) + 64 {
                        label = format!("{label} {}", strip_name(tree, lo, hi, name_tok));
                    }
                }
                if let Some(c) = country {
                    let of = if self.lang == Lang::Nl { "van" } else { "of" };
                    let country_label = mentions.clusters[c].label.clone();
                    label = if label.contains(&format!(" {of} ")) {
                        format!("{label} ({country_label})")
                    } else {
                        format!("{label} {of} {country_label}")
                    };
                }
                mentions.intern(label.trim(), EntityKind::Other, None, None)
            } else {
                // Spokesperson, member, employee: of the organisation the phrase names, or the
                // one the compound names ("KNVB-woordvoerder", "Knesset-lid").
                let Some(c) = of_phrase else {
                    let Some(org) = compound_org(tree, r, mentions) else {
                        continue;
                    };
                    facts.push(fact(relation, org, country, rule, confidence));
                    continue;
                };
                match mentions.at(tree.global(c)) {
                    Some(m) => m.cluster,
                    None if matches!(tree.upos(c), Upos::Noun | Upos::Propn) => {
                        let (mut lo, hi) = tree.trimmed_span(c);
                        while lo < hi && matches!(tree.upos(lo), Upos::Det | Upos::Adp) {
                            lo += 1;
                        }
                        let label = strip_name(tree, lo, hi, name_tok);
                        if label.is_empty() {
                            continue;
                        }
                        mentions.intern(&label, EntityKind::Organization, None, None)
                    }
                    None => continue,
                }
            };
            facts.push(fact(relation, object, country, rule, confidence));
            // A leading role of an organisation is also its leadership: "Mossad-baas Yitzhak
            // Hofi", "directeur van het Instituut …" lead them.
            if relation == "hold_position" && is_leader(tree.lemma(r)) {
                let of_org = of_phrase
                    .and_then(|c| mentions.at(tree.global(c)))
                    .filter(|m| m.kind == EntityKind::Organization)
                    .map(|m| m.cluster);
                if let Some(org) = of_org.or_else(|| compound_org(tree, r, mentions)) {
                    facts.push(fact("lead", org, None, "role-leads", confidence * 0.95));
                }
            }
        }
        facts
    }

    /// "Magda Aelvoet (Agalev)": a person with an organisation in brackets is its member.
    fn parenthesised_parties(&self, tree: &Tree, mentions: &Mentions) -> Vec<RoleFact> {
        let mut facts = Vec::new();
        for m in mentions.mentions.iter().filter(|m| m.sent == tree.sent) {
            if m.kind != EntityKind::Person {
                continue;
            }
            let open = m.end - tree.offset;
            if open + 2 >= tree.len() || tree.form(open) != "(" {
                continue;
            }
            let Some(org) = mentions.at(tree.global(open + 1)) else {
                continue;
            };
            let close = org.end - tree.offset;
            // A party is one word ("Agalev", "VLD"); a longer bracket is an explanation.
            let party = matches!(org.kind, EntityKind::Organization | EntityKind::Other)
                && org.end - org.start == 1;
            if party && close < tree.len() && tree.form(close) == ")" {
                facts.push(RoleFact {
                    holder: m.cluster,
                    role_noun: open,
                    relation: "member_of".into(),
                    object: org.cluster,
                    country: None,
                    lo: m.start - tree.offset,
                    hi: close,
                    rule: "member-in-brackets",
                    confidence: 0.8,
                });
            }
        }
        facts
    }

    fn role_statement(&self, tree: &Tree, fact: &RoleFact) -> Found {
        let (lo, hi) = tree.trim_punct(fact.lo, fact.hi);
        // The words of the role: the noun, or "(Agalev)" for a party in brackets.
        let words = if tree.form(fact.role_noun) == "(" {
            tree.text(fact.role_noun, fact.hi)
        } else {
            tree.form(fact.role_noun)
        };
        Found::plain(
            fact.holder,
            &fact.relation,
            words,
            Arg::Entity(fact.object),
            fact.confidence,
            tree.sent,
            tree.bytes(lo, hi),
            fact.rule,
        )
    }

    // ----- pass 2: clauses ----------------------------------------------------------------------

    /// The statements of one sentence's clauses; returns the reporter of a "Dat meldt X".
    fn clauses(
        &self,
        tree: &Tree,
        mentions: &mut Mentions,
        out: &mut Vec<Found>,
    ) -> Option<(usize, usize)> {
        let n = tree.len();
        let preds: Vec<usize> = (0..n).filter(|&v| self.is_predicate(tree, v)).collect();
        // Attribution: "volgens X" covers the clause; a speaker covers their complement/quote.
        let mut attribution: Vec<Option<usize>> = vec![None; n];
        let mut backref = None;
        for &v in &preds {
            for o in tree.kids(v, &["obl", "nmod"]) {
                if tree
                    .preposition(o)
                    .is_some_and(|p| self.words.is_according(&p))
                {
                    if let Some((x, via)) = self.entity_of(tree, o, mentions) {
                        let (lo, hi) = tree.span(v);
                        for a in attribution[lo..=hi].iter_mut() {
                            *a = Some(x);
                        }
                        // "Volgens X is Y": X says Y (unless a speech verb says it already).
                        let (olo, ohi) = tree.span(o);
                        if olo == lo && !self.is_speech(tree, v) {
                            let (clo, chi) = tree.trim_punct(ohi + 1, hi);
                            if clo < chi {
                                out.push(Found::plain(
                                    x,
                                    "say",
                                    tree.text(olo, tree.kid(o, &["case"]).unwrap_or(olo)),
                                    Arg::Literal(tree.text(clo, chi).to_string()),
                                    0.8 * via.factor(),
                                    tree.sent,
                                    tree.bytes(lo, hi),
                                    &format!("according-to{}", via.note()),
                                ));
                            }
                        }
                    }
                }
            }
        }
        // "Durant: 'Sluiting loketten is geen goede oplossing'": a name, a colon, what they said.
        if let Some(m) = mentions
            .at(tree.global(0))
            .filter(|m| m.start == tree.offset)
        {
            let colon = m.end - tree.offset;
            let speaker = matches!(m.kind, EntityKind::Person | EntityKind::Organization);
            if speaker && colon + 1 < n && tree.form(colon) == ":" {
                let (lo, hi) = tree.trim_punct(colon + 1, n - 1);
                if lo < hi {
                    for a in attribution[lo..=hi].iter_mut() {
                        *a = Some(m.cluster);
                    }
                    out.push(Found::plain(
                        m.cluster,
                        "say",
                        ":",
                        Arg::Literal(tree.text(lo, hi).to_string()),
                        0.8,
                        tree.sent,
                        tree.bytes(0, hi),
                        "colon-quote",
                    ));
                }
            }
        }
        let quotes = quote_spans(tree);
        for &v in &preds {
            if !self.is_speech(tree, v) {
                continue;
            }
            let Some(&(s, _, _)) = self.subjects(tree, v, mentions).first() else {
                continue;
            };
            let covered: Vec<(usize, usize)> = match self.content(tree, v) {
                Some(c) => {
                    let (lo, hi) = tree.span(c);
                    vec![(lo, if lo > v { n - 1 } else { hi })]
                }
                None => match self.content_after_mark(tree, v) {
                    Some(lo) => vec![(lo, n - 1)],
                    None => quotes
                        .iter()
                        .copied()
                        .filter(|&(a, b)| v < a || v > b)
                        .collect(),
                },
            };
            for (lo, hi) in covered {
                for a in attribution[lo..=hi].iter_mut() {
                    *a = Some(s);
                }
            }
        }
        for &v in &preds {
            let before = out.len();
            if let Some(b) = self.clause(tree, v, mentions, &quotes, out) {
                backref = Some(b);
            }
            for st in &mut out[before..] {
                if let Some(x) = attribution[v] {
                    if st.subject != x && st.attributed_to.is_none() {
                        st.attributed_to = Some(x);
                        if st.modality == Modality::Asserted {
                            st.modality = Modality::Reported;
                        }
                    }
                }
            }
        }
        backref
    }

    /// Whether `v` heads a clause: a verb, or a word the parser gave a subject but no copula
    /// (a verb it mistagged).
    fn is_predicate(&self, tree: &Tree, v: usize) -> bool {
        match tree.upos(v) {
            // A verb as a noun's argument is nominalised ("naar eigen zeggen"), unless it has
            // a subject of its own: then the parser mislabelled a clause ("… zou president Xi
            // een bezoek moeten brengen aan Moskou, wanneer … is nog niet duidelijk" with
            // "brengen" as `mark`).
            Upos::Verb => {
                tree.kid(v, &["nsubj"]).is_some()
                    || !matches!(
                        tree.base(v),
                        "amod" | "case" | "mark" | "det" | "obl" | "nmod" | "nsubj" | "fixed"
                    )
            }
            Upos::Aux => {
                // "zijn" or "hebben" as a main verb: has a subject, no verb it helps.
                tree.kid(v, &["nsubj"]).is_some() && tree.base(v) != "aux" && tree.base(v) != "cop"
            }
            Upos::Noun | Upos::Adj | Upos::X => {
                tree.kid(v, &["nsubj"]).is_some()
                    && tree.kid(v, &["cop"]).is_none()
                    && !tree.capitalised(v)
                    && matches!(
                        tree.base(v),
                        "root" | "conj" | "ccomp" | "advcl" | "parataxis"
                    )
            }
            _ => false,
        }
    }

    /// The lemma with its separable particle, in the treebank convention (`aan_geven`).
    fn is_speech(&self, tree: &Tree, v: usize) -> bool {
        self.relation_for_lemma(&verb_lemma(tree, v))
            .is_some_and(|r| SPEECH.contains(&r.name.as_str()))
    }

    fn relation_for_lemma(&self, lemma: &str) -> Option<&'a Relation> {
        let rels = self.lexicon.by_lemma(self.lang, lemma);
        rels.first().copied().or_else(|| {
            // Lexicon lemmas may be written without the particle mark, or with it.
            let plain = squash(lemma);
            (plain != lemma)
                .then(|| self.lexicon.by_lemma(self.lang, &plain).first().copied())
                .flatten()
        })
    }

    /// The clause complement of a speech verb (`ccomp`, or a quote's `parataxis` root).
    fn content(&self, tree: &Tree, v: usize) -> Option<usize> {
        tree.kid(v, &["ccomp"])
    }

    /// Where a "that"-clause starts when the parser did not attach it to its verb: the first
    /// subordinating "dat"/"that" after the verb.
    fn content_after_mark(&self, tree: &Tree, v: usize) -> Option<usize> {
        (v + 1..tree.len())
            .find(|&i| {
                tree.upos(i) == Upos::Sconj
                    || (tree.base(i) == "mark" && tree.upos(i) == Upos::Pron)
            })
            .filter(|&i| matches!(tree.lower(i).as_str(), "dat" | "that" | "of" | "whether"))
            .map(|i| i + 1)
            .filter(|&i| i < tree.len())
    }

    /// The subjects of the clause headed by `v`: its own, a passive's agent, or those of the
    /// clause it is conjoined to or controlled by.
    fn subjects(&self, tree: &Tree, v: usize, mentions: &mut Mentions) -> Vec<(usize, Via, usize)> {
        let mut out = Vec::new();
        if self.is_passive(tree, v) {
            for o in tree.kids(v, &["obl:agent", "obl"]) {
                if tree.rel(o) == "obl:agent"
                    || tree.preposition(o).is_some_and(|p| self.words.is_agent(&p))
                {
                    out.extend(self.entities(tree, o, mentions));
                }
            }
            return out;
        }
        for s in tree.kids(v, &["nsubj"]) {
            if tree.rel(s) == "nsubj:pass" {
                continue;
            }
            out.extend(self.entities(tree, s, mentions));
        }
        if out.is_empty() && tree.kid(v, &["nsubj"]).is_none() {
            if let Some(h) = tree.head(v) {
                let inherit = tree.base(v) == "conj"
                    || (tree.base(v) == "xcomp" && tree.kid(v, &["nsubj"]).is_none());
                if inherit && h != v {
                    return self.subjects(tree, h, mentions);
                }
            }
        }
        out
    }

    fn is_passive(&self, tree: &Tree, v: usize) -> bool {
        tree.kids(v, &["nsubj"])
            .any(|s| tree.rel(s) == "nsubj:pass")
            || tree.kids(v, &["aux"]).any(|a| tree.rel(a) == "aux:pass")
    }

    /// The entities an argument names, one per conjunct ("China en Rusland").
    fn entities(&self, tree: &Tree, i: usize, mentions: &mut Mentions) -> Vec<(usize, Via, usize)> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            if let Some((c, via)) = self.entity_of(tree, j, mentions) {
                if !out.iter().any(|&(d, _, _)| d == c) {
                    out.push((c, via, j));
                }
            }
            stack.extend(tree.kids(j, &["conj"]).filter(|&c| !tree.is_quote(c)));
        }
        out
    }

    /// The entity a nominal stands for, and how it was found.
    fn entity_of(&self, tree: &Tree, i: usize, mentions: &mut Mentions) -> Option<(usize, Via)> {
        if let Some(m) = mentions.at(tree.global(i)) {
            return Some((m.cluster, Via::Name));
        }
        // A title the parser made the head of the name: "dr. Veer", "mevrouw Dua".
        for c in tree.kids(i, &["flat"]) {
            if let Some(m) = mentions.at(tree.global(c)) {
                return Some((m.cluster, Via::Name));
            }
        }
        // A noun with the name in apposition: "de Russische president Vladimir Poetin".
        if let Some((t, _)) = named_after(tree, i, mentions) {
            let m = mentions.at(tree.global(t))?;
            return Some((m.cluster, Via::Apposition));
        }
        match tree.upos(i) {
            Upos::Pron => {
                let form = tree.form(i);
                if tree.feat(i, "PronType") == Some("Rel") || is_relative(tree, i) {
                    // "…, die …": the noun the relative clause modifies.
                    let clause = ancestor_with(tree, i, "acl")?;
                    let noun = tree.head(clause)?;
                    return self
                        .entity_of(tree, noun, mentions)
                        .map(|(c, _)| (c, Via::Relative));
                }
                let singular_only = self.words.pronoun(form)?;
                // "ze"/"zij" with a plural verb are a group, not a person.
                if !singular_only {
                    let verb = tree.head(i)?;
                    let plural = std::iter::once(verb)
                        .chain(tree.kids(verb, &["aux", "cop"]))
                        .any(|t| tree.feat(t, "Number") == Some("Plur"));
                    if plural {
                        return None;
                    }
                }
                let c = mentions.antecedent(tree.doc, tree.global(i), singular_only)?;
                Some((c, Via::Pronoun))
            }
            Upos::Noun => {
                // "de Russische minister": the one person the article gave that role.
                let holders = self.roles.get(&role_key(tree.lemma(i)))?;
                let country = tree
                    .kids(i, &["amod"])
                    .find_map(|c| self.gazetteer.demonym(tree.form(c)).map(|p| p.geonames_id));
                let fits: Vec<usize> = holders
                    .iter()
                    .filter(|(_, of, _)| {
                        country.is_none()
                            || of.is_none()
                            || of.and_then(|c| mentions.clusters[c].geonames) == country
                    })
                    .map(|&(h, _, _)| h)
                    .collect();
                match fits[..] {
                    [h] => Some((h, Via::Role)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The statements of the clause headed by `v`. Returns `(reporter, v)` for "Dat meldt X".
    fn clause(
        &self,
        tree: &Tree,
        v: usize,
        mentions: &mut Mentions,
        quotes: &[(usize, usize)],
        out: &mut Vec<Found>,
    ) -> Option<(usize, usize)> {
        let subjects = self.subjects(tree, v, mentions);
        let lemma = verb_lemma(tree, v);
        let (modality, negated) = self.mood(tree, v);
        let polarity = if negated {
            Polarity::Negated
        } else {
            Polarity::Positive
        };
        let time = self.time(tree, v);
        let passive = self.is_passive(tree, v);
        let objects: Vec<usize> = if passive {
            tree.kids(v, &["nsubj"])
                .filter(|&s| tree.rel(s) == "nsubj:pass")
                .collect()
        } else {
            tree.kids(v, &["obj", "iobj"]).collect()
        };
        // A time word is not an object; but a name the parser hung under a bare time word
        // ("volgende week Berlijn bezoeken", Berlijn as apposition of week) is the object.
        let bare_time = |o: usize| self.is_bare_time(tree, o);
        let hung_under_time: Vec<usize> = if passive {
            Vec::new()
        } else {
            tree.kids(v, &["obj", "iobj", "obl"])
                .filter(|&o| bare_time(o))
                .flat_map(|o| names_hung_under(tree, o))
                .collect()
        };
        let objects: Vec<usize> = objects
            .into_iter()
            .filter(|&o| !self.words.is_time(tree.lemma(o)))
            .chain(hung_under_time)
            .collect();
        let obls: Vec<(String, usize)> = tree
            .kids(v, &["obl"])
            .filter_map(|o| tree.preposition(o).map(|p| (p, o)))
            .filter(|(p, _)| !self.words.is_according(p) && !(passive && self.words.is_agent(p)))
            .collect();
        // An oblique the parser hung under the object ("… in het Kremlin president Poetin
        // ontmoet") still says where the clause happened.
        let stray: Vec<(String, usize)> = objects
            .iter()
            .flat_map(|&o| tree.kids(o, &["obl"]).collect::<Vec<_>>())
            .filter_map(|o| tree.preposition(o).map(|p| (p, o)))
            .collect();
        let place_of = |this: &Self, mentions: &mut Mentions, except: Option<usize>| {
            obls.iter()
                .chain(&stray)
                .filter(|(p, o)| this.words.is_place(p) && Some(*o) != except)
                .find_map(|&(_, o)| {
                    this.entity_of(tree, o, mentions)
                        .map(|(c, _)| c)
                        .filter(|&c| mentions.clusters[c].kind == EntityKind::Place)
                })
        };

        // "Dat meldt de Wall Street Journal" (the parser may swap subject and object). Not when
        // the verb reports a quote of its own sentence: a "dat" inside it ("“Al bij al is dat
        // vlot verlopen”, meent Du Bois") is part of what was said, wherever the parser hung it.
        let reports_own_quote = quotes.iter().any(|&(a, b)| v < a || v > b);
        if self.is_speech(tree, v) && !reports_own_quote {
            let args: Vec<usize> = tree.kids(v, &["nsubj", "obj"]).collect();
            let demonstrative = args
                .iter()
                .any(|&a| tree.upos(a) == Upos::Pron && self.words.is_demonstrative(tree.form(a)));
            if demonstrative && tree.kid(v, &["ccomp"]).is_none() {
                let reporter = args.iter().find_map(|&a| {
                    (!self.words.is_demonstrative(tree.form(a)))
                        .then(|| self.entity_of(tree, a, mentions))
                        .flatten()
                });
                return reporter.map(|(r, _)| (r, v));
            }
        }
        if subjects.is_empty() {
            return None;
        }

        // What the verb says, and what it says it about.
        let mut picked: Option<(
            String,
            Vec<(Arg, Via, usize)>,
            Vec<usize>,
            &'static str,
            f32,
        )> = None;
        // 1. A light-verb phrase: "een bezoek brengen aan X", "overleg voeren met X".
        for &o in &objects {
            let Some(lights) = self.light.get(&squash(tree.lemma(o))) else {
                continue;
            };
            for l in lights.iter().filter(|l| l.verb == squash(&lemma)) {
                let target = match &l.prep {
                    None => None,
                    Some(p) => obls
                        .iter()
                        .find(|(q, _)| squash(q) == *p)
                        .map(|&(_, t)| t)
                        .or_else(|| {
                            tree.kids(o, &["nmod"])
                                .find(|&t| tree.preposition(t).is_some_and(|q| squash(&q) == *p))
                        }),
                };
                let Some(t) = target else { continue };
                let objs = self.entities(tree, t, mentions);
                if objs.is_empty() {
                    continue;
                }
                let mut words = vec![v, o];
                words.extend(tree.kid(o, &["det"]));
                words.extend(tree.kid(t, &["case"]));
                words.extend(tree.kid(v, &["compound:prt"]));
                let objs = objs
                    .into_iter()
                    .map(|(c, via, j)| (Arg::Entity(c), via, j))
                    .collect();
                picked = Some((l.relation.name.clone(), objs, words, "light-verb", 0.9));
                break;
            }
            if picked.is_some() {
                break;
            }
        }
        // 2. A lexicon verb.
        let relation = self.relation_for_lemma(&lemma);
        if picked.is_none() {
            if let Some(rel) = relation {
                let speech = SPEECH.contains(&rel.name.as_str());
                let mut objs: Vec<(Arg, Via, usize)> = Vec::new();
                let mut words = vec![v];
                words.extend(tree.kid(v, &["compound:prt"]));
                if speech {
                    let said = self
                        .content(tree, v)
                        .map(|c| {
                            // A complement after its verb runs to the sentence's end (the
                            // parser often cuts a long one short).
                            let (lo, hi) = tree.trimmed_span(c);
                            let hi = if lo > v {
                                tree.trim_punct(lo, tree.len() - 1).1
                            } else {
                                hi
                            };
                            let (lo, hi) = skip_mark(tree, lo, hi);
                            (lo, hi, c)
                        })
                        .or_else(|| {
                            self.content_after_mark(tree, v).map(|lo| {
                                let (lo, hi) = tree.trim_punct(lo, tree.len() - 1);
                                (lo, hi, lo)
                            })
                        })
                        .or_else(|| {
                            quotes
                                .iter()
                                .find(|&&(a, b)| v < a || v > b)
                                .map(|&(a, b)| {
                                    let (lo, hi) = tree.trim_punct(a, b);
                                    (lo, hi, lo)
                                })
                        });
                    if let Some((lo, hi, anchor)) = said {
                        if lo <= hi {
                            objs.push((
                                Arg::Literal(tree.text(lo, hi).to_string()),
                                Via::Name,
                                anchor,
                            ));
                        }
                    }
                }
                // What was said is the clause; a noun phrase object of a speech verb is mostly
                // a misparse (an apposition to the speaker), so it counts only without one.
                let said_clause = !objs.is_empty();
                // "say" takes no noun phrase object ("zei een tandje" is no quote).
                let np_objects = !said_clause && rel.name != "say";
                for &o in objects.iter().filter(|_| np_objects) {
                    if self.words.is_demonstrative(tree.form(o)) {
                        continue;
                    }
                    let found = self.entities(tree, o, mentions);
                    if found.is_empty() {
                        // A noun phrase is what was said only for relations about things
                        // ("prees de samenwerking"); a speech verb's content is a clause or quote.
                        let literal_ok = LITERAL_OBJECTS.contains(&rel.name.as_str());
                        if let Some(lit) = literal(tree, o).filter(|_| literal_ok) {
                            objs.push((Arg::Literal(lit), Via::Name, o));
                        }
                    } else {
                        objs.extend(
                            found
                                .into_iter()
                                .map(|(c, via, j)| (Arg::Entity(c), via, j)),
                        );
                    }
                }
                if objs.iter().all(|(a, _, _)| matches!(a, Arg::Literal(_))) {
                    let preps: Vec<String> = rel
                        .prepositions(self.lang)
                        .iter()
                        .map(|p| squash(p))
                        .collect();
                    for (p, o) in &obls {
                        if preps.contains(&squash(p)) {
                            let found = self.entities(tree, *o, mentions);
                            if !found.is_empty() {
                                objs.retain(|(a, _, _)| !matches!(a, Arg::Literal(_)));
                                words.extend(tree.kid(*o, &["case"]));
                                objs.extend(
                                    found
                                        .into_iter()
                                        .map(|(c, via, j)| (Arg::Entity(c), via, j)),
                                );
                                break;
                            }
                        }
                    }
                }
                if !objs.is_empty() {
                    let all_literal = objs.iter().all(|(a, _, _)| matches!(a, Arg::Literal(_)));
                    let conf = if all_literal && !speech { 0.7 } else { 0.9 };
                    picked = Some((rel.name.clone(), objs, words, "lexicon-verb", conf));
                }
            }
        }
        // 3. An open relation named after the verb, between two named entities only.
        if picked.is_none() && relation.is_none() && tree.upos(v) == Upos::Verb {
            let mut objs = Vec::new();
            let mut name = open_name(&lemma);
            let mut words = vec![v];
            words.extend(tree.kid(v, &["compound:prt"]));
            for &o in &objects {
                if let Some(m) = mentions.at(tree.global(o)) {
                    objs.push((Arg::Entity(m.cluster), Via::Name, o));
                }
            }
            if objs.is_empty() {
                for (p, o) in &obls {
                    if tree.rel(*o) != "obl:arg" {
                        continue;
                    }
                    if let Some(m) = mentions.at(tree.global(*o)) {
                        objs.push((Arg::Entity(m.cluster), Via::Name, *o));
                        name = format!("{name}_{}", open_name(p));
                        words.extend(tree.kid(*o, &["case"]));
                        break;
                    }
                }
            }
            if !objs.is_empty() && subjects.iter().all(|&(_, via, _)| via == Via::Name) {
                picked = Some((name, objs, words, "open-verb", OPEN_CONFIDENCE));
            }
        }

        // 4. A purpose phrase naming a further act: "…, voor overleg met Poetin".
        let mut extra: Vec<(
            String,
            Vec<(Arg, Via, usize)>,
            Vec<usize>,
            &'static str,
            f32,
        )> = Vec::new();
        for (p, o) in &obls {
            if !self.words.is_purpose(p) {
                continue;
            }
            let Some(lights) = self.light.get(&squash(tree.lemma(*o))) else {
                continue;
            };
            for t in tree.kids(*o, &["nmod"]) {
                let Some(q) = tree.preposition(t) else {
                    continue;
                };
                let Some(l) = lights
                    .iter()
                    .find(|l| l.prep.as_deref() == Some(&squash(&q)))
                else {
                    continue;
                };
                let objs = self.entities(tree, t, mentions);
                if objs.is_empty() {
                    continue;
                }
                let mut words = vec![*o];
                words.extend(tree.kid(*o, &["case"]));
                words.extend(tree.kid(t, &["case"]));
                let objs = objs
                    .into_iter()
                    .map(|(c, via, j)| (Arg::Entity(c), via, j))
                    .collect();
                extra.push((l.relation.name.clone(), objs, words, "purpose-noun", 0.8));
                break;
            }
        }

        for (relation, objs, words, rule, conf) in picked.into_iter().chain(extra) {
            for &(subject, svia, stok) in &subjects {
                for (object, ovia, anchor) in &objs {
                    if let Arg::Entity(o) = object {
                        if *o == subject {
                            continue;
                        }
                    }
                    let place = place_of(self, mentions, Some(*anchor));
                    let mut toks = words.clone();
                    for t in [*anchor, stok] {
                        let (a, b) = extent(tree, t, mentions);
                        toks.extend([a, b]);
                    }
                    let (lo, hi) = (
                        *toks.iter().min().unwrap_or(&v),
                        *toks.iter().max().unwrap_or(&v),
                    );
                    let (_, anchor_hi) = tree.trimmed_span(*anchor);
                    let hi = if matches!(object, Arg::Literal(_)) {
                        hi.max(anchor_hi)
                    } else {
                        hi
                    };
                    let mut text_words = words.clone();
                    text_words.sort_unstable();
                    text_words.dedup();
                    let relation_text = text_words
                        .iter()
                        .map(|&w| tree.form(w))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let confidence = conf * svia.factor() * ovia.factor();
                    out.push(Found {
                        subject,
                        relation: relation.clone(),
                        relation_text,
                        object: object.clone(),
                        polarity,
                        modality,
                        attributed_to: None,
                        time: time.clone(),
                        place,
                        confidence,
                        sentence: tree.sent,
                        bytes: tree.bytes(lo, hi),
                        rule: format!("{rule}{}{}", svia.note(), ovia.note()),
                    });
                }
            }
        }
        None
    }

    /// Modality from auxiliaries and controlling verbs; whether the clause is negated.
    fn mood(&self, tree: &Tree, v: usize) -> (Modality, bool) {
        let mut modality = Modality::Asserted;
        let mut negated = false;
        let mut apply = |m: Option<Mood>, modality: &mut Modality| match m {
            Some(Mood::Modality(x)) if *modality == Modality::Asserted => *modality = x,
            Some(Mood::Negated) => negated = !negated,
            _ => {}
        };
        for a in tree.kids(v, &["aux"]) {
            if tree.rel(a) != "aux:pass" {
                apply(self.words.modal(tree.lemma(a)), &mut modality);
            }
        }
        // A controlling verb ("wil bezoeken"), or the clause a conjunct shares auxiliaries with.
        let mut h = v;
        while matches!(tree.base(h), "xcomp" | "conj") {
            let Some(up) = tree.head(h) else { break };
            if tree.base(h) == "xcomp" {
                apply(self.words.control(&verb_lemma(tree, up)), &mut modality);
                apply(self.words.modal(tree.lemma(up)), &mut modality);
            }
            for a in tree.kids(up, &["aux"]) {
                if tree.rel(a) != "aux:pass"
                    && tree.base(h) == "conj"
                    && tree.kid(v, &["aux"]).is_none()
                {
                    apply(self.words.modal(tree.lemma(a)), &mut modality);
                }
            }
            h = up;
        }
        let neg = tree
            .kids(v, &["advmod", "det", "obj", "aux"])
            .chain(
                tree.kids(v, &["obj"])
                    .flat_map(|o| tree.kids(o, &["det"]).collect::<Vec<_>>()),
            )
            .any(|t| self.words.is_negation(tree.form(t)));
        (modality, negated ^ neg)
    }

    /// The time a clause gives: a phrase headed by a time word ("woensdag", "eerder op de dag",
    /// "in maart", "komende maanden"), with a time adverb just before it.
    fn time(&self, tree: &Tree, v: usize) -> Option<String> {
        let is_time = |t: usize| {
            self.words.is_time(tree.lemma(t))
                || self.words.is_time(&tree.lower(t))
                || (tree.upos(t) == Upos::Num
                    && tree.form(t).len() == 4
                    && tree
                        .form(t)
                        .parse::<u32>()
                        .is_ok_and(|y| (1900..2100).contains(&y)))
        };
        let t = tree
            .kids(v, &["obl", "advmod", "obj", "nmod"])
            .find(|&t| is_time(t) && (tree.upos(t) != Upos::Adj || tree.base(t) == "advmod"))?;
        let (mut lo, mut hi) = tree.trimmed_span(t);
        // A name hung under the time word is an object, not part of the time.
        if let Some(cut) = names_hung_under(tree, t)
            .into_iter()
            .filter(|&k| k > t)
            .map(|k| tree.trimmed_span(k).0)
            .min()
        {
            hi = hi.min(cut.saturating_sub(1).max(t));
        }
        // "eerder op de dag": a time adverb of the verb right before the phrase joins it.
        if lo > 0 && tree.head(lo - 1) == Some(v) && tree.base(lo - 1) == "advmod" {
            let w = tree.lower(lo - 1);
            if matches!(w.as_str(), "eerder" | "later" | "earlier" | "vroeger") || is_time(lo - 1) {
                lo -= 1;
            }
        }
        Some(
            tree.text(lo, hi)
                .trim_matches(|c: char| is_quote_char(c))
                .trim()
                .to_string(),
        )
    }
}

/// Names the parser hung under word `t` as apposition, flat part or bare modifier (no
/// preposition): under a time word they are the verb's object ("volgende week Berlijn
/// bezoeken").
fn names_hung_under(tree: &Tree, t: usize) -> Vec<usize> {
    tree.kids(t, &["appos", "flat", "nmod"])
        .filter(|&k| tree.upos(k) == Upos::Propn && tree.preposition(k).is_none())
        .collect()
}

/// Whether a role noun names the one who leads ("baas", "voorzitter", "directeur").
fn is_leader(lemma: &str) -> bool {
    let k = squash(lemma);
    let head = k.rsplit('-').next().unwrap_or(&k);
    const LEADERS: [&str; 14] = [
        "baas",
        "chef",
        "leider",
        "voorzitter",
        "voorzitster",
        "topman",
        "topvrouw",
        "directeur",
        "directrice",
        "ceo",
        "hoofd",
        "head",
        "chairman",
        "director",
    ];
    LEADERS
        .iter()
        .any(|l| head == *l || (l.len() >= 5 && head.ends_with(l)))
}

/// The organisation a compound role names by its first part: "Mossad-baas" → Mossad,
/// "KNVB-woordvoerder" → KNVB (a capitalised first part only: "oud-premier" names none).
fn compound_org(tree: &Tree, r: usize, mentions: &mut Mentions) -> Option<usize> {
    let form = tree.form(r);
    let (prefix, _) = form.rsplit_once('-')?;
    let capital = prefix.chars().next().is_some_and(char::is_uppercase);
    if !capital || prefix.chars().count() < 2 {
        return None;
    }
    Some(mentions.intern(prefix, EntityKind::Organization, None, None))
}

/// The tokens an argument covers in the evidence: its name, or a noun and the name in
/// apposition to it; a pronoun or bare noun is just itself.
fn extent(tree: &Tree, t: usize, mentions: &Mentions) -> (usize, usize) {
    let local = |m: &crate::resolve::Mention| (m.start - tree.offset, m.end - 1 - tree.offset);
    if let Some(m) = mentions.at(tree.global(t)) {
        return local(m);
    }
    if let Some((n, _)) = named_after(tree, t, mentions) {
        if let Some(m) = mentions.at(tree.global(n)) {
            let (_, hi) = local(m);
            return (t.min(hi), t.max(hi));
        }
    }
    (t, t)
}

/// The name a common noun introduces: a name in apposition under it ("president Vladimir
/// Poetin"), or the first name after it inside its phrase with only modifiers between
/// ("minister van Binnenlandse Zaken Otto Schily", which parsers attach in many ways).
/// Returns the name's first token and its kind.
pub fn named_after(tree: &Tree, noun: usize, mentions: &Mentions) -> Option<(usize, EntityKind)> {
    let words = crate::extract::words::Words::get(tree.doc.lang);
    let role_word = words.role(tree.lemma(noun)).is_some();
    if !(tree.upos(noun) == Upos::Noun || role_word) || mentions.at(tree.global(noun)).is_some() {
        return None;
    }
    for c in tree.kids(noun, &["appos", "flat"]) {
        if c > noun {
            if let Some(m) = mentions.at(tree.global(c)) {
                return Some((m.start - tree.offset, m.kind));
            }
        }
    }
    let mut t = noun + 1;
    while t < tree.len() && t <= noun + 8 && tree.dominates(noun, t) {
        if let Some(m) = mentions.at(tree.global(t)) {
            // A name in apposition follows a word, not a preposition ("woordvoerder van de
            // politie van Sussex" names no spokesperson).
            let introduced = matches!(tree.upos(t - 1), Upos::Adp | Upos::Det);
            if m.kind == EntityKind::Person && m.start == tree.global(t) && !introduced {
                return Some((t, m.kind));
            }
        }
        let modifier = matches!(
            tree.upos(t),
            Upos::Adp | Upos::Det | Upos::Adj | Upos::Noun | Upos::Propn | Upos::Cconj
        ) || tree.form(t) == ",";
        if !modifier {
            return None;
        }
        t += 1;
    }
    None
}

/// The verb's lemma with its separable particle (`gaf … aan` → `aan_geven`).
pub fn verb_lemma(tree: &Tree, v: usize) -> String {
    let lemma = tree.lemma(v).to_lowercase();
    match tree.kid(v, &["compound:prt"]) {
        Some(p) if !lemma.contains('_') => {
            // A particle expression ("van plan zijn") is the particle with its fixed words.
            let mut particle = tree.lower(p);
            for w in tree.kids(p, &["fixed"]) {
                particle.push(if tree.doc.lang == Lang::Nl { '_' } else { ' ' });
                particle.push_str(&tree.lower(w));
            }
            match tree.doc.lang {
                Lang::Nl => format!("{particle}_{lemma}"),
                Lang::En => format!("{lemma} {particle}"),
            }
        }
        _ => lemma,
    }
}

/// A lemma compared without compound marks and case: `uit_spreken` = `uitspreken`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn role_key(lemma: &str) -> String {
    let k = squash(lemma);
    k.rsplit('-').next().unwrap_or(&k).to_string()
}

/// An open relation's name: the lemma, lower-case ASCII letters, digits and `_`.
fn open_name(lemma: &str) -> String {
    let mut s: String = lemma
        .chars()
        .flat_map(char::to_lowercase)
        .map(crate::graph::fold_diacritic)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

/// A non-entity object as a literal: its phrase without a leading article.
fn literal(tree: &Tree, o: usize) -> Option<String> {
    if !matches!(tree.upos(o), Upos::Noun | Upos::Propn | Upos::Num) {
        return None;
    }
    let (lo, hi) = tree.trimmed_span(o);
    let lo = if tree.upos(lo) == Upos::Det && lo < hi {
        lo + 1
    } else {
        lo
    };
    (hi - lo < 12).then(|| tree.text(lo, hi).to_string())
}

/// Text of `lo..=hi` without the name token's own subtree (so "minister van Buitenlandse
/// Zaken Sergej Lavrov" gives "van Buitenlandse Zaken").
fn strip_name(tree: &Tree, lo: usize, hi: usize, name: usize) -> String {
    let (nlo, _) = tree.span(name);
    let mut hi = if nlo > lo && nlo <= hi { nlo - 1 } else { hi };
    // "minister van Verkeer en vice-premier": the second role is not part of the first.
    let words = crate::extract::words::Words::get(tree.doc.lang);
    if let Some(c) =
        (lo..hi).find(|&t| tree.upos(t) == Upos::Cconj && words.role(tree.lemma(t + 1)).is_some())
    {
        hi = c.saturating_sub(1).max(lo);
    }
    let (lo, hi) = tree.trim_punct(lo, hi);
    if lo > hi {
        return String::new();
    }
    tree.text(lo, hi).to_string()
}

/// Skips a complementiser ("dat", "that") and quotes at the start of a content clause, and
/// then the closing quotes at its end that closed those (`dat “de banden … situatie”`).
fn skip_mark(tree: &Tree, mut lo: usize, mut hi: usize) -> (usize, usize) {
    while lo < hi && (tree.base(lo) == "mark" || tree.upos(lo) == Upos::Punct) {
        lo += 1;
    }
    while hi > lo && tree.upos(hi) == Upos::Punct && tree.closes_unopened_quote(lo, hi) {
        hi -= 1;
    }
    (lo, hi)
}

fn is_quote_char(c: char) -> bool {
    crate::extract::tree::is_quote_mark(c.encode_utf8(&mut [0; 4]))
}

/// The spans inside quotation marks (quote tokens excluded), paired open/close in order.
fn quote_spans(tree: &Tree) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for i in 0..tree.len() {
        if !tree.is_quote(i) {
            continue;
        }
        let f = tree.form(i);
        let closes =
            matches!(f, "”" | "»" | "’" | "›") || (open.is_some() && matches!(f, "\"" | "'"));
        match open {
            Some(o) if closes => {
                if i > o + 1 {
                    out.push((o + 1, i - 1));
                }
                open = None;
            }
            None if !matches!(f, "”" | "»" | "’" | "›") => open = Some(i),
            _ => {}
        }
    }
    out
}

/// "…, meent minister Isabelle Durant" with "minister" as `flat` under the verb: `flat` joins
/// the parts of a name, never a verb's argument, so a noun there is the missing subject.
fn subject_read_as_flat(tree: &mut Tree) {
    for v in 0..tree.len() {
        if !matches!(tree.upos(v), Upos::Verb | Upos::Aux) || tree.kid(v, &["nsubj"]).is_some() {
            continue;
        }
        let flat = tree
            .kids(v, &["flat"])
            .find(|&c| matches!(tree.upos(c), Upos::Noun | Upos::Propn));
        if let Some(c) = flat {
            tree.reattach(c, v, "nsubj");
        }
    }
}

/// Whether a pronoun is a relative pronoun by position: the subject or object of a relative
/// clause ("die", "dat", "who", "which") that starts the clause.
fn is_relative(tree: &Tree, i: usize) -> bool {
    let Some(h) = tree.head(i) else { return false };
    tree.rel(h) == "acl:relcl"
        && matches!(
            tree.lower(i).as_str(),
            "die" | "dat" | "wie" | "who" | "which" | "that" | "whom"
        )
        && tree.span(h).0 == i
}

/// The nearest ancestor of `i` (itself excluded) whose universal relation is `rel`.
fn ancestor_with(tree: &Tree, i: usize, rel: &str) -> Option<usize> {
    let mut j = tree.head(i)?;
    loop {
        if tree.base(j) == rel {
            return Some(j);
        }
        j = tree.head(j)?;
    }
}
