//! Entity mentions and their resolution within one article.
//!
//! Mentions come from the entity recogniser's spans, repaired where the tree says a name goes on
//! ("Wang" untagged before "Yi"), and from capitalised names the recogniser missed that the
//! gazetteer knows (places) or that repeat a person's surname. Mentions are then clustered: the
//! same place (GeoNames id), the same normalised name, or a surname that fits exactly one
//! person named in full. The longest name labels the cluster, and every merge that is not an
//! exact repeat is written down with its reason, so a user can see why "Wang" became Wang Yi.
//!
//! Pronouns are resolved on demand ([`Mentions::antecedent`]) by the statement rules, which
//! know where a pronoun stands; clusters that no mention names (a country known only from an
//! adjective, a position, a ministry) are added by the rules through [`Mentions::intern`].

use crate::perceptron::StrMap;
use std::collections::{BTreeSet, HashMap};

use crate::doc::{Doc, EntType, Upos};
use crate::extract::tree::Tree;
use crate::extract::words::Words;
use crate::gazetteer::{Gazetteer, PlaceKind};
use crate::graph::{normalise_name, EntityKind};

/// Where a mention came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The entity recogniser (possibly widened over the rest of a name).
    Ner,
    /// A capitalised name the gazetteer knows as a place.
    Gazetteer,
    /// A capitalised word that repeats the surname of a person named in the article.
    Surname,
}

/// A name in the text: document tokens `start..end`.
#[derive(Clone, Debug)]
pub struct Mention {
    pub sent: usize,
    pub start: usize,
    pub end: usize,
    /// The token of the span the rest hangs from (its head lies outside the span).
    pub head: usize,
    pub kind: EntityKind,
    pub text: String,
    pub geonames: Option<u32>,
    pub source: Source,
    /// Whether the mention is a clause's subject (pronouns prefer subjects as antecedents).
    pub subject: bool,
    pub cluster: usize,
}

/// An entity of the article: mentions that name the same thing.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub label: String,
    pub kind: EntityKind,
    pub geonames: Option<u32>,
    /// Every name it goes by in the article (the label included).
    pub names: BTreeSet<String>,
    /// How many times the article names it (by name; pronouns and role nouns are not counted).
    pub mentions: u32,
    /// Why mentions were merged, one line each.
    pub merges: Vec<String>,
    /// Language of the label when it comes from the gazetteer rather than the text.
    pub label_lang: Option<&'static str>,
}

/// The mentions and entities of one article.
pub struct Mentions {
    pub mentions: Vec<Mention>,
    pub clusters: Vec<Cluster>,
    /// Document token → the mention covering it.
    by_token: Vec<Option<u32>>,
    /// Indexes over the clusters, so resolution stays linear in long documents.
    index: Index,
}

/// Normalised name → clusters; GeoNames id → cluster; a person's first and last name words →
/// clusters.
#[derive(Default)]
struct Index {
    keys: StrMap<String, Vec<usize>>,
    places: HashMap<u32, usize>,
    words: StrMap<String, Vec<usize>>,
}

impl Index {
    fn add(&mut self, c: usize, name: &str, cluster: &Cluster) {
        let key = normalise_name(name);
        let words: Vec<&str> = key.split('-').filter(|w| !w.is_empty()).collect();
        if cluster.kind == EntityKind::Person {
            for w in [words.first(), words.last()].into_iter().flatten() {
                let v = self.words.entry(w.to_string()).or_default();
                if !v.contains(&c) {
                    v.push(c);
                }
            }
        }
        if let Some(id) = cluster.geonames {
            self.places.entry(id).or_insert(c);
        }
        let v = self.keys.entry(key).or_default();
        if !v.contains(&c) {
            v.push(c);
        }
    }

    fn same_name(&self, key: &str) -> &[usize] {
        self.keys.get(key).map_or(&[], Vec::as_slice)
    }

    /// Person clusters sharing the first or last word of `key`, in cluster order.
    fn sharing_a_word(&self, key: &str) -> Vec<usize> {
        let words: Vec<&str> = key.split('-').filter(|w| !w.is_empty()).collect();
        let mut out: Vec<usize> = [words.first(), words.last()]
            .into_iter()
            .flatten()
            .flat_map(|w| self.words.get(*w).into_iter().flatten().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

impl Mentions {
    /// Finds and clusters the mentions of a parsed, entity-tagged document.
    pub fn find(doc: &Doc, words: &Words, gazetteer: &Gazetteer) -> Mentions {
        let mut found = Vec::new();
        let mut taken = vec![false; doc.len()];
        let mut cached: Option<Tree> = None;
        for span in doc.entity_spans() {
            let Some(sent) = doc.sentence_of(span.start) else {
                continue;
            };
            if cached.as_ref().is_none_or(|t| t.sent != sent) {
                cached = Some(Tree::new(doc, sent));
            }
            let Some(tree) = cached.as_ref() else {
                continue;
            };
            let (mut lo, mut hi) = (span.start - tree.offset, span.end - 1 - tree.offset);
            // A demonym or other adjective ("Chinese", "Russische") is not a name of its own.
            if (lo..=hi).all(|i| tree.upos(i) == Upos::Adj) {
                continue;
            }
            // Widen over the rest of a name the recogniser cut short: adjacent capitalised
            // proper nouns joined to the span by the tree ("Wang" before "Yi").
            let joined = |a: usize, b: usize| {
                tree.head(a) == Some(b)
                    || tree.head(b) == Some(a)
                    || (tree.head(a) == tree.head(b) && tree.base(a) == "flat")
            };
            // A name right after a person's title or role noun is a person's, whatever type the
            // recogniser gave it: "topdiplomaat Wang Yi" with "Yi" read as an organisation.
            let mut ty = span.ty;
            if ty != EntType::Per && hi - lo < 2 {
                let mut k = lo;
                while k > 0
                    && is_name_word(tree, k - 1)
                    && doc.ner[tree.global(k - 1)] == crate::doc::Iob::O
                {
                    k -= 1;
                }
                if k > 0 && words.role(&tree.form(k - 1).to_lowercase()).is_some() {
                    ty = EntType::Per;
                }
            }
            let widen = ty == EntType::Per;
            while widen
                && lo > 0
                && is_name_word(tree, lo - 1)
                && doc.ner[tree.global(lo - 1)] == crate::doc::Iob::O
                && !taken[tree.global(lo - 1)]
                && (lo..=hi).any(|j| joined(lo - 1, j))
            {
                lo -= 1;
            }
            while widen
                && hi + 1 < tree.len()
                && is_name_word(tree, hi + 1)
                && doc.ner[tree.global(hi + 1)] == crate::doc::Iob::O
                && (lo..=hi).any(|j| joined(hi + 1, j))
            {
                hi += 1;
            }
            // Titles and demonyms the recogniser took into a name stay out of it: "Dr. Veer",
            // "Peruaan Alejandro Toledo", "Knesset-lid Colette Avital", "KNVB-woordvoerder".
            {
                let title = |i: usize| {
                    is_title(tree, i, words) || gazetteer.demonym(tree.form(i)).is_some()
                };
                while lo < hi && title(lo) {
                    lo += 1;
                }
                if title(lo) {
                    continue; // a title alone is no name
                }
            }
            let kind = EntityKind::from_ner(ty.as_str());
            // A person's name run into the place after it ("Emmanuel Macron Moskou"): the
            // recogniser's span ends in a name the gazetteer knows as a place. Split it.
            let mut place = None;
            if ty == EntType::Per && hi >= lo + 2 && gazetteer.lookup(tree.form(hi)).is_some() {
                place = Some(hi);
                hi -= 1;
                // "Foubert van Sint-Niklaas": the preposition belongs to neither name.
                if hi > lo && !tree.capitalised(hi) {
                    hi -= 1;
                }
            }
            let mut m = vec![new_mention(
                tree,
                lo,
                hi,
                kind,
                Source::Ner,
                words,
                gazetteer,
                ty,
            )];
            if let Some(p) = place {
                let loc = EntityKind::Place;
                m.push(new_mention(
                    tree,
                    p,
                    p,
                    loc,
                    Source::Gazetteer,
                    words,
                    gazetteer,
                    EntType::Loc,
                ));
            }
            for m in m {
                for t in m.start..m.end {
                    taken[t] = true;
                }
                found.push(m);
            }
        }
        // Names the recogniser missed: places the gazetteer knows.
        for sent in 0..doc.sentences.len() {
            let tree = Tree::new(doc, sent);
            let mut i = 0;
            while i < tree.len() {
                if taken[tree.global(i)] || !is_name_word(&tree, i) {
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j + 1 < tree.len() && !taken[tree.global(j + 1)] && is_name_word(&tree, j + 1)
                {
                    j += 1;
                }
                if gazetteer.lookup(tree.text(i, j)).is_some() {
                    let m = new_mention(
                        &tree,
                        i,
                        j,
                        EntityKind::Place,
                        Source::Gazetteer,
                        words,
                        gazetteer,
                        EntType::Loc,
                    );
                    for t in m.start..m.end {
                        taken[t] = true;
                    }
                    found.push(m);
                }
                i = j + 1;
            }
        }
        // Surnames of people named in full, repeated where the recogniser missed them (it
        // often does on a sentence's first word): "Wang ontmoette …", "Wangs reis".
        let surnames: BTreeSet<String> = found
            .iter()
            .filter(|m| m.kind == EntityKind::Person && m.end - m.start > 1)
            .flat_map(|m| {
                // Family names come last in "Maria Zakharova" but first in "Wang Yi".
                let words: Vec<&str> = m.text.split_whitespace().collect();
                [words[0].to_string(), words[words.len() - 1].to_string()]
            })
            .filter(|w| w.chars().count() > 1)
            .collect();
        for i in 0..doc.len() {
            if taken[i] {
                continue;
            }
            let form = doc.form[i].as_str();
            let capital = form.chars().next().is_some_and(char::is_uppercase);
            let nominal = matches!(doc.upos[i], Upos::Propn | Upos::Noun | Upos::X);
            let base = form.strip_suffix("'s").or(form.strip_suffix('s'));
            let hit = surnames.contains(form) || base.is_some_and(|b| surnames.contains(b));
            if capital && nominal && hit {
                let Some(sent) = doc.sentence_of(i) else {
                    continue;
                };
                let tree = Tree::new(doc, sent);
                let local = i - tree.offset;
                let mut m = new_mention(
                    &tree,
                    local,
                    local,
                    EntityKind::Person,
                    Source::Surname,
                    words,
                    gazetteer,
                    EntType::Per,
                );
                if !surnames.contains(form) {
                    m.text = base.unwrap_or(form).to_string(); // the genitive's name
                }
                taken[i] = true;
                found.push(m);
            }
        }
        found.sort_by_key(|m| m.start);
        let mut by_token = vec![None; doc.len()];
        for (k, m) in found.iter().enumerate() {
            for t in m.start..m.end {
                by_token[t] = Some(k as u32);
            }
        }
        let mut out = Mentions {
            mentions: found,
            clusters: Vec::new(),
            by_token,
            index: Index::default(),
        };
        out.cluster();
        out
    }

    /// Groups mentions into clusters: longest names first, so short ones can join them.
    fn cluster(&mut self) {
        let mut order: Vec<usize> = (0..self.mentions.len()).collect();
        order.sort_by_key(|&k| {
            let m = &self.mentions[k];
            (std::cmp::Reverse(m.end - m.start), m.start)
        });
        for k in order {
            let m = self.mentions[k].clone();
            let mut note = None;
            let key = normalise_name(&m.text);
            let sentence = m.sent + 1;
            let place = m
                .geonames
                .and_then(|id| self.index.places.get(&id).copied());
            let same_name = self
                .index
                .same_name(&key)
                .iter()
                .copied()
                .find(|&c| compatible(self.clusters[c].kind, m.kind));
            let target = if let Some(c) = place {
                let c_label = &self.clusters[c].label;
                if !self.clusters[c].names.contains(&m.text) {
                    let why = format!(
                        "“{}” (sentence {sentence}) is {c_label}: both are GeoNames {}",
                        m.text,
                        m.geonames.unwrap_or(0)
                    );
                    self.clusters[c].merges.push(why);
                }
                Some(c)
            } else if let Some(c) = same_name {
                Some(c)
            } else if let Some(c) = self.genitive_of(&m) {
                let why = format!(
                    "“{}” (sentence {sentence}) is {}: its genitive",
                    m.text, self.clusters[c].label
                );
                self.clusters[c].merges.push(why);
                Some(c)
            } else if matches!(m.kind, EntityKind::Person | EntityKind::Other) {
                // A short name that ends (or, in English, may start) a longer person's name.
                let fits: Vec<usize> = (self.index.sharing_a_word(&key).into_iter())
                    .filter(|&c| {
                        let cl = &self.clusters[c];
                        cl.kind == EntityKind::Person && name_contains(&cl.label, &m.text)
                    })
                    .collect();
                match fits[..] {
                    [c] => {
                        let why = format!(
                            "“{}” (sentence {sentence}) is {}: part of the name, and the only person in the article it fits",
                            m.text, self.clusters[c].label
                        );
                        self.clusters[c].merges.push(why);
                        Some(c)
                    }
                    [] => None,
                    _ => {
                        let labels: Vec<&str> = fits
                            .iter()
                            .map(|&c| self.clusters[c].label.as_str())
                            .collect();
                        note = Some(format!(
                            "“{}” (sentence {sentence}) kept apart: it fits {}",
                            m.text,
                            labels.join(" and ")
                        ));
                        None
                    }
                }
            } else {
                None
            };
            let c = match target {
                Some(c) => {
                    let cl = &mut self.clusters[c];
                    cl.names.insert(m.text.clone());
                    cl.mentions += 1;
                    if cl.kind == EntityKind::Other && m.kind != EntityKind::Other {
                        cl.kind = m.kind;
                    }
                    self.index.add(c, &m.text, &self.clusters[c]);
                    c
                }
                None => self.push(Cluster {
                    label: m.text.clone(),
                    kind: m.kind,
                    geonames: m.geonames,
                    names: BTreeSet::from([m.text.clone()]),
                    mentions: 1,
                    merges: note.into_iter().collect(),
                    label_lang: None,
                }),
            };
            self.mentions[k].cluster = c;
        }
    }

    /// The mention covering document token `t`.
    pub fn at(&self, t: usize) -> Option<&Mention> {
        self.by_token
            .get(t)
            .copied()
            .flatten()
            .map(|k| &self.mentions[k as usize])
    }

    /// The cluster an entity of this label, kind and place id belongs to: an existing one with
    /// that GeoNames id or normalised name, else a new one. `why` is kept as its merge note.
    pub fn intern(
        &mut self,
        label: &str,
        kind: EntityKind,
        geonames: Option<u32>,
        label_lang: Option<&'static str>,
    ) -> usize {
        if let Some(&c) = geonames.and_then(|id| self.index.places.get(&id)) {
            return c;
        }
        let key = normalise_name(label);
        if let Some(&c) = self
            .index
            .same_name(&key)
            .iter()
            .find(|&&c| self.clusters[c].kind == kind)
        {
            return c;
        }
        self.push(Cluster {
            label: label.to_string(),
            kind,
            geonames,
            names: BTreeSet::from([label.to_string()]),
            mentions: 0,
            merges: Vec::new(),
            label_lang,
        })
    }

    /// Adds a new cluster and indexes its name.
    fn push(&mut self, cluster: Cluster) -> usize {
        let c = self.clusters.len();
        self.index.add(c, &cluster.label, &cluster);
        self.clusters.push(cluster);
        c
    }

    /// The person cluster a genitive names ("Ehud Baraks" → Ehud Barak, "Sarah's" → Sarah).
    fn genitive_of(&self, m: &Mention) -> Option<usize> {
        if !matches!(m.kind, EntityKind::Person | EntityKind::Other) {
            return None;
        }
        let base = m
            .text
            .strip_suffix("'s")
            .or_else(|| m.text.strip_suffix("’s"))
            .or_else(|| m.text.strip_suffix('s'))?;
        let key = normalise_name(base);
        self.index.sharing_a_word(&key).into_iter().find(|&c| {
            self.clusters[c].kind == EntityKind::Person
                && self.clusters[c].names.iter().any(|n| {
                    let n = normalise_name(n);
                    n == key || n.ends_with(&format!("-{key}"))
                })
        })
    }

    /// The person a pronoun at document token `t` most likely refers to. Walks back over the
    /// subjects before it (this sentence and the two before): a person's name is the answer; a
    /// pronoun continues the chain; a subject that could itself be what the pronoun means (a
    /// singular common-gender noun for "hij", any noun or organisation for "ze") ends the search
    /// unresolved, since guessing past it makes wrong edges. `singular_only` is true for
    /// pronouns that can only mean one person ("hij", "he").
    pub fn antecedent(&self, doc: &Doc, t: usize, singular_only: bool) -> Option<usize> {
        let sent = doc.sentence_of(t)?;
        let first = doc.sentences[sent.saturating_sub(2)].start;
        let person_at = |k: usize| {
            self.at(k)
                .filter(|m| m.kind == EntityKind::Person)
                .map(|m| m.cluster)
        };
        for k in (first..t).rev() {
            if !doc.deprel[k].starts_with("nsubj") {
                continue;
            }
            if let Some(c) = person_at(k) {
                return Some(c);
            }
            // A noun with the name in apposition ("minister Lavrov", "dr. Veer").
            let named = (first..doc.len().min(k + 9))
                .filter(|&j| doc.head_index(j) == Some(k))
                .filter(|&j| matches!(doc.deprel[j].as_str(), "appos" | "flat"))
                .find_map(person_at);
            if named.is_some() {
                return named;
            }
            if self.at(k).is_some() {
                if singular_only {
                    continue; // "hij" does not mean a place or an organisation
                }
                return None; // "ze" may well mean the organisation
            }
            match doc.upos[k] {
                Upos::Pron => continue,
                Upos::Noun => {
                    let token = doc.token(k);
                    let plural = token.feat("Number") == Some("Plur");
                    let neuter = token.feat("Gender") == Some("Neut");
                    if singular_only && (plural || neuter) {
                        continue;
                    }
                    return None;
                }
                _ => continue,
            }
        }
        if !singular_only {
            return None;
        }
        self.mentions
            .iter()
            .rev()
            .find(|m| m.end <= t && m.start >= first && m.kind == EntityKind::Person)
            .map(|m| m.cluster)
    }
}

/// Whether two kinds may name one entity (`Other` is the recogniser's MISC: it gives way).
fn compatible(a: EntityKind, b: EntityKind) -> bool {
    a == b || a == EntityKind::Other || b == EntityKind::Other
}

/// Whether `short` is the last words of `long` (a surname: "Zakharova") or its first words (a
/// family name put first: "Wang" of "Wang Yi"), compared normalised.
fn name_contains(long: &str, short: &str) -> bool {
    let long: Vec<String> = long.split_whitespace().map(normalise_name).collect();
    let short: Vec<String> = short.split_whitespace().map(normalise_name).collect();
    !short.is_empty()
        && short.len() < long.len()
        && (long.ends_with(&short) || long.starts_with(&short))
}

/// Writes what resolution learnt about names back into the document's entity column, so that
/// `annotate` shows the entities the graph is built from: a recogniser's span widened over the
/// rest of a name ("Wang" + "Yi"), stripped of a title, split from a place, retyped by a role or
/// kind noun ("topdiplomaat Wang Yi", "persbureau Ria Novosti"), and the names it missed (places
/// the gazetteer knows, repeated surnames). Recogniser spans resolution does not take up (a
/// demonym such as "Russische") keep their tags.
pub fn refine_entities(doc: &mut Doc) {
    use crate::doc::Iob;
    if doc.sentences.is_empty() || !doc.annotated.deps {
        return;
    }
    let words = Words::get(doc.lang);
    let found = Mentions::find(doc, words, Gazetteer::global()).mentions;
    let spans = doc.entity_spans();
    for m in &found {
        for s in spans.iter().filter(|s| s.start < m.end && m.start < s.end) {
            doc.ner[s.start..s.end].fill(Iob::O);
        }
    }
    for m in &found {
        let ty = match m.kind {
            EntityKind::Person => EntType::Per,
            EntityKind::Place => EntType::Loc,
            EntityKind::Organization => EntType::Org,
            EntityKind::Event | EntityKind::Other => EntType::Misc,
        };
        doc.ner[m.start] = Iob::B(ty);
        doc.ner[m.start + 1..m.end].fill(Iob::I(ty));
    }
}

/// A title before a name: an honorific ("Dr.", "mevrouw", "Mr") or a role word, also as the
/// head of a compound ("Knesset-lid", "oud-premier").
fn is_title(tree: &Tree, i: usize, words: &Words) -> bool {
    let f = tree.form(i).trim_end_matches('.').to_lowercase();
    let honorific = matches!(
        f.as_str(),
        "dr" | "prof"
            | "mr"
            | "mrs"
            | "ms"
            | "mevrouw"
            | "meneer"
            | "mevr"
            | "dhr"
            | "ir"
            | "ing"
            | "sir"
            | "lord"
            | "sint"
            | "pater"
            | "zuster"
            | "broeder"
    );
    honorific || words.role(&f).is_some()
}

/// A word that can be part of a name: capitalised, tagged as a proper noun.
fn is_name_word(tree: &Tree, i: usize) -> bool {
    tree.capitalised(i) && tree.upos(i) == Upos::Propn
}

#[allow(clippy::too_many_arguments)]
fn new_mention(
    tree: &Tree,
    lo: usize,
    hi: usize,
    mut kind: EntityKind,
    source: Source,
    words: &Words,
    gazetteer: &Gazetteer,
    ty: EntType,
) -> Mention {
    let text = tree.text(lo, hi).to_string();
    // The head: the token whose head lies outside the span.
    let head = (lo..=hi)
        .find(|&i| tree.head(i).is_none_or(|h| h < lo || h > hi))
        .unwrap_or(lo);
    // An apposition to a kind noun says what the name is: "het persbureau Ria Novosti".
    if tree.base(head) == "appos" || tree.base(head) == "flat" {
        if let Some(noun) = tree.head(head) {
            if let Some(k) = words.kind_noun(tree.lemma(noun)) {
                kind = k;
            }
        }
    }
    // Places link to GeoNames. A recogniser's organisation or MISC that is a country's name is
    // the country ("Rusland gaf aan" is tagged ORG as often as LOC).
    let mut geonames = None;
    if let Some(place) = gazetteer.lookup(&text) {
        let country = place.kind == PlaceKind::Country;
        if kind == EntityKind::Place || (country && ty != EntType::Per) {
            kind = EntityKind::Place;
            geonames = Some(place.geonames_id);
        }
    }
    let subject = tree.base(head) == "nsubj"
        || (tree.base(head) == "appos" && tree.head(head).is_some_and(|h| tree.base(h) == "nsubj"));
    Mention {
        sent: tree.sent,
        start: tree.global(lo),
        end: tree.global(hi) + 1,
        head: tree.global(head),
        kind,
        text,
        geonames,
        source,
        subject,
        cluster: usize::MAX,
    }
}
