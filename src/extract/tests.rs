//! Every rule on hand-built trees: no model in the loop, so a retrained tagger or parser cannot
//! make these pass or fail. (`tests/cli/extract.rs` runs the same constructions through the
//! trained models.)
//!
//! A tree is written one token per word as `form/UPOS/head/deprel`, optionally followed by
//! `/NE` (`B-PER`, `I-LOC`, … or empty), `/lemma` and `/feats`; sentences are separate strings.

use std::path::Path;

use super::*;
use crate::conllu;
use crate::doc::Lang;
use crate::graph::{DocumentInfo, KnowledgeGraph, Modality, Polarity};

fn doc(lang: Lang, sentences: &[&str]) -> Doc {
    let mut text = String::new();
    for s in sentences {
        for (i, tok) in s.split_whitespace().enumerate() {
            let f: Vec<&str> = tok.split('/').collect();
            let (form, upos, head, rel) = (f[0], f[1], f[2], f[3]);
            let ne = f.get(4).copied().filter(|x| !x.is_empty());
            let lemma = f.get(5).copied().filter(|x| !x.is_empty()).map_or_else(
                || {
                    if upos == "PROPN" {
                        form.to_string()
                    } else {
                        form.to_lowercase()
                    }
                },
                str::to_string,
            );
            let feats = f.get(6).copied().unwrap_or("_");
            let misc = ne.map_or("_".to_string(), |t| format!("NE={t}"));
            text.push_str(&format!(
                "{}\t{form}\t{lemma}\t{upos}\t_\t{feats}\t{head}\t{rel}\t_\t{misc}\n",
                i + 1
            ));
        }
        text.push('\n');
    }
    let mut d = conllu::read(&text, Path::new("hand-built.conllu"), lang).unwrap();
    d.meta.id = Some("t".into());
    d
}

/// (subject, relation, object) labels of what the extractor finds, with the statements.
fn run(lang: Lang, sentences: &[&str]) -> (Extraction, Vec<(String, String, String)>) {
    let d = doc(lang, sentences);
    let ex = Extractor::builtin().extract(&d);
    let triples = ex
        .statements
        .iter()
        .map(|s| {
            let object = match &s.object {
                Arg::Entity(c) => ex.label(*c).to_string(),
                Arg::Literal(t) => format!("“{t}”"),
            };
            (ex.label(s.subject).to_string(), s.relation.clone(), object)
        })
        .collect();
    (ex, triples)
}

fn find<'e>(ex: &'e Extraction, s: &str, r: &str, o: &str) -> &'e Found {
    ex.statements
        .iter()
        .find(|st| {
            let object = match &st.object {
                Arg::Entity(c) => ex.label(*c),
                Arg::Literal(t) => t.as_str(),
            };
            ex.label(st.subject) == s && st.relation == r && object == o
        })
        .unwrap_or_else(|| {
            let all: Vec<_> = ex
                .statements
                .iter()
                .map(|st| (ex.label(st.subject), &st.relation, &st.object, &st.rule))
                .collect();
            panic!("no ({s}, {r}, {o}) in {all:#?}")
        })
}

fn t(s: &str, r: &str, o: &str) -> (String, String, String) {
    (s.into(), r.into(), o.into())
}

// "Wang ontmoette Lavrov ." — a main clause with a lexicon verb.
const WANG_MEETS_LAVROV: &str =
    "Wang/PROPN/3/nsubj/B-PER Yi/PROPN/1/flat/I-PER ontmoette/VERB/0/root//ontmoeten Sergej/PROPN/3/obj/B-PER Lavrov/PROPN/4/flat/I-PER ././3/punct";

#[test]
fn main_clause_subject_verb_object() {
    let s = WANG_MEETS_LAVROV.replace("././", "./PUNCT/");
    let (ex, triples) = run(Lang::Nl, &[&s]);
    assert_eq!(triples, vec![t("Wang Yi", "meet", "Sergej Lavrov")]);
    let st = &ex.statements[0];
    assert_eq!(
        (st.polarity, st.modality, st.rule.as_str()),
        (Polarity::Positive, Modality::Asserted, "lexicon-verb")
    );
    // The evidence runs from the subject to the object, in bytes of the text.
    let d = doc(Lang::Nl, &[&s]);
    assert_eq!(
        &d.text[st.bytes.0..st.bytes.1],
        "Wang Yi ontmoette Sergej Lavrov"
    );
    assert_eq!(st.relation_text, "ontmoette");
}

#[test]
fn subordinate_verb_final_clause() {
    // "Nadat Wang Poetin had ontmoet , vertrok hij ."
    let (_, triples) = run(
        Lang::Nl,
        &["Nadat/SCONJ/5/mark Wang/PROPN/5/nsubj/B-PER Poetin/PROPN/5/obj/B-PER had/AUX/5/aux//hebben ontmoet/VERB/7/advcl//ontmoeten ,/PUNCT/5/punct vertrok/VERB/0/root//vertrekken hij/PRON/7/nsubj ./PUNCT/7/punct"],
    );
    assert!(
        triples.contains(&t("Wang", "meet", "Poetin")),
        "{triples:?}"
    );
}

#[test]
fn light_verb_phrase_with_its_preposition_gives_the_goal() {
    // "Xi brengt een bezoek aan Moskou ." — both attachments of "aan Moskou" the parser makes.
    for head_of_pp in [2, 4] {
        let rel = if head_of_pp == 2 { "obl" } else { "nmod" };
        let s = format!(
            "Xi/PROPN/2/nsubj/B-PER brengt/VERB/0/root//brengen een/DET/4/det bezoek/NOUN/2/obj aan/ADP/6/case Moskou/PROPN/{head_of_pp}/{rel}/B-LOC ./PUNCT/2/punct"
        );
        let (ex, triples) = run(Lang::Nl, &[&s]);
        assert_eq!(triples, vec![t("Xi", "visit", "Moskou")], "{rel}");
        let st = &ex.statements[0];
        assert_eq!(st.rule, "light-verb");
        assert_eq!(st.relation_text, "brengt een bezoek aan");
        let Arg::Entity(c) = st.object else { panic!() };
        assert_eq!(
            ex.clusters[c].geonames,
            Some(524901),
            "Moskou is GeoNames 524901"
        );
    }
}

#[test]
fn oblique_argument_with_a_lexicon_preposition() {
    // "Wang sprak met Lavrov ." — spreken + met = consult.
    let (_, triples) = run(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER sprak/VERB/0/root//spreken met/ADP/4/case Lavrov/PROPN/2/obl:arg/B-PER ./PUNCT/2/punct"],
    );
    assert_eq!(triples, vec![t("Wang", "consult", "Lavrov")]);
}

#[test]
fn passive_agent_becomes_the_subject() {
    // "Lavrov werd door Wang ontvangen ."
    let (_, triples) = run(
        Lang::Nl,
        &["Lavrov/PROPN/5/nsubj:pass/B-PER werd/AUX/5/aux:pass//worden door/ADP/4/case Wang/PROPN/5/obl:agent/B-PER ontvangen/VERB/0/root//ontvangen ./PUNCT/5/punct"],
    );
    assert_eq!(triples, vec![t("Wang", "host", "Lavrov")]);
    // English: "Lavrov was received by Wang ."
    let (_, triples) = run(
        Lang::En,
        &["Lavrov/PROPN/3/nsubj:pass/B-PER was/AUX/3/aux:pass//be received/VERB/0/root//receive by/ADP/5/case Wang/PROPN/3/obl/B-PER ./PUNCT/3/punct"],
    );
    assert_eq!(triples, vec![t("Wang", "host", "Lavrov")]);
}

#[test]
fn modals_give_modality_and_negation_gives_polarity() {
    // "Xi zal Moskou bezoeken ." / "Xi kan Moskou niet bezoeken ." / "Xi will not visit Moscow ."
    let cases = [
        (
            Lang::Nl,
            "Xi/PROPN/4/nsubj/B-PER zal/AUX/4/aux//zullen Moskou/PROPN/4/obj/B-LOC bezoeken/VERB/0/root//bezoeken ./PUNCT/4/punct",
            Modality::Planned,
            Polarity::Positive,
        ),
        (
            Lang::Nl,
            "Xi/PROPN/5/nsubj/B-PER kan/AUX/5/aux//kunnen Moskou/PROPN/5/obj/B-LOC niet/ADV/5/advmod bezoeken/VERB/0/root//bezoeken ./PUNCT/5/punct",
            Modality::Possible,
            Polarity::Negated,
        ),
        (
            Lang::Nl,
            "Xi/PROPN/2/nsubj/B-PER bezocht/VERB/0/root//bezoeken nooit/ADV/2/advmod Moskou/PROPN/2/obj/B-LOC ./PUNCT/2/punct",
            Modality::Asserted,
            Polarity::Negated,
        ),
        (
            Lang::En,
            "Xi/PROPN/4/nsubj/B-PER will/AUX/4/aux not/PART/4/advmod visit/VERB/0/root Moscow/PROPN/4/obj/B-LOC ./PUNCT/4/punct",
            Modality::Planned,
            Polarity::Negated,
        ),
    ];
    for (lang, s, modality, polarity) in cases {
        let (ex, triples) = run(lang, &[s]);
        assert_eq!(triples.len(), 1, "{s}: {triples:?}");
        assert_eq!(triples[0].1, "visit");
        let st = &ex.statements[0];
        assert_eq!((st.modality, st.polarity), (modality, polarity), "{s}");
    }
}

#[test]
fn controlling_verbs_pass_on_their_subject_and_a_plan() {
    // "Poetin wil China bezoeken ." with bezoeken as xcomp of wil.
    let (ex, triples) = run(
        Lang::Nl,
        &["Poetin/PROPN/2/nsubj/B-PER wil/VERB/0/root//willen China/PROPN/4/obj/B-LOC bezoeken/VERB/2/xcomp//bezoeken ./PUNCT/2/punct"],
    );
    assert_eq!(triples, vec![t("Poetin", "visit", "China")]);
    assert_eq!(ex.statements[0].modality, Modality::Planned);
}

#[test]
fn a_particle_expression_controls_like_a_verb() {
    // "Xi is van plan Moskou te bezoeken .": "van plan zijn" (van_plan_zijn) is a plan.
    let (ex, triples) = run(
        Lang::Nl,
        &["Xi/PROPN/2/nsubj/B-PER is/VERB/0/root//zijn van/ADP/2/compound:prt plan/NOUN/3/fixed Moskou/PROPN/7/obj/B-LOC te/ADP/7/mark bezoeken/VERB/2/xcomp//bezoeken ./PUNCT/2/punct"],
    );
    assert_eq!(triples, vec![t("Xi", "visit", "Moskou")]);
    assert_eq!(ex.statements[0].modality, Modality::Planned);
}

#[test]
fn particle_verbs_join_their_particle() {
    // "Rusland kondigde sancties aan tegen Iran ." → aan_kondigen = announce (object literal).
    let (_, triples) = run(
        Lang::Nl,
        &["Rusland/PROPN/2/nsubj/B-LOC kondigde/VERB/0/root//kondigen sancties/NOUN/2/obj//sanctie aan/ADP/2/compound:prt ./PUNCT/2/punct"],
    );
    assert_eq!(triples, vec![t("Rusland", "announce", "“sancties”")]);
}

#[test]
fn coordinated_subjects_and_objects_give_one_statement_each() {
    // "China en Rusland steunen Iran en Syrië ."
    let (_, mut triples) = run(
        Lang::Nl,
        &["China/PROPN/4/nsubj/B-LOC en/CCONJ/3/cc Rusland/PROPN/1/conj/B-LOC steunen/VERB/0/root//steunen Iran/PROPN/4/obj/B-LOC en/CCONJ/7/cc Syrië/PROPN/5/conj/B-LOC ./PUNCT/4/punct"],
    );
    triples.sort();
    assert_eq!(
        triples,
        vec![
            t("China", "support", "Iran"),
            t("China", "support", "Syrië"),
            t("Rusland", "support", "Iran"),
            t("Rusland", "support", "Syrië"),
        ]
    );
}

#[test]
fn conjoined_verbs_share_their_subject() {
    // "Wang bezocht Moskou en ontmoette Lavrov ."
    let (_, mut triples) = run(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER bezocht/VERB/0/root//bezoeken Moskou/PROPN/2/obj/B-LOC en/CCONJ/5/cc ontmoette/VERB/2/conj//ontmoeten Lavrov/PROPN/5/obj/B-PER ./PUNCT/2/punct"],
    );
    triples.sort();
    assert_eq!(
        triples,
        vec![t("Wang", "meet", "Lavrov"), t("Wang", "visit", "Moskou")]
    );
}

#[test]
fn relative_pronouns_stand_for_their_noun() {
    // "Lavrov ontving Wang , die Moskou bezocht ."
    let (ex, triples) = run(
        Lang::Nl,
        &["Lavrov/PROPN/2/nsubj/B-PER ontving/VERB/0/root//ontvangen Wang/PROPN/2/obj/B-PER ,/PUNCT/7/punct die/PRON/7/nsubj//die/PronType=Rel Moskou/PROPN/7/obj/B-LOC bezocht/VERB/3/acl:relcl//bezoeken ./PUNCT/2/punct"],
    );
    assert!(
        triples.contains(&t("Lavrov", "host", "Wang")),
        "{triples:?}"
    );
    assert!(
        triples.contains(&t("Wang", "visit", "Moskou")),
        "{triples:?}"
    );
    assert!(find(&ex, "Wang", "visit", "Moskou")
        .rule
        .contains("relative"));
}

#[test]
fn roles_from_appositions_and_commas() {
    // "De Russische president Vladimir Poetin ontmoette Maria Zakharova , woordvoerster van het
    // ministerie van Buitenlandse Zaken ."
    let s = "De/DET/3/det Russische/ADJ/3/amod/B-MISC/Russisch president/NOUN/6/nsubj Vladimir/PROPN/3/appos/B-PER Poetin/PROPN/4/flat/I-PER ontmoette/VERB/0/root//ontmoeten Maria/PROPN/6/obj/B-PER Zakharova/PROPN/7/flat/I-PER ,/PUNCT/10/punct woordvoerster/NOUN/7/appos van/ADP/13/case het/DET/13/det ministerie/NOUN/10/nmod van/ADP/15/case Buitenlandse/ADJ/13/nmod/B-ORG/buitenlands Zaken/NOUN/15/flat/I-ORG/zaak ./PUNCT/6/punct";
    let (ex, triples) = run(Lang::Nl, &[s]);
    assert!(
        triples.contains(&t("Vladimir Poetin", "meet", "Maria Zakharova")),
        "{triples:?}"
    );
    assert!(
        triples.contains(&t(
            "Vladimir Poetin",
            "hold_position",
            "president van Russia"
        )),
        "{triples:?}"
    );
    assert!(
        triples.contains(&t(
            "Maria Zakharova",
            "spokesperson_of",
            "ministerie van Buitenlandse Zaken"
        )),
        "{triples:?}"
    );
    assert_eq!(
        find(
            &ex,
            "Vladimir Poetin",
            "hold_position",
            "president van Russia"
        )
        .rule,
        "role-apposition"
    );
    // The same comma apposition, attached wrongly by a parser (to the verb): still read.
    let wrong = s.replace("woordvoerster/NOUN/7/appos", "woordvoerster/NOUN/6/obl");
    let (ex, _) = run(Lang::Nl, &[&wrong]);
    let st = find(
        &ex,
        "Maria Zakharova",
        "spokesperson_of",
        "ministerie van Buitenlandse Zaken",
    );
    assert_eq!(st.rule, "role-comma");
    assert!(st.confidence < 0.9);
}

/// A role word the tagger read as an adjective of the name, and one the lemmatizer read as
/// another word ("schepen", alderman, lemmatised as the plural of "schip"), still give the role.
#[test]
fn roles_survive_tagging_and_lemma_slips() {
    let (_, triples) = run(
        Lang::Nl,
        &["Toen/ADV/6/advmod moest/AUX/6/aux directievoorzitter/ADJ/4/amod Erwin/PROPN/6/nsubj/B-PER Conradi/PROPN/4/flat/I-PER vertrekken/VERB/0/root ./PUNCT/6/punct"],
    );
    assert!(
        triples.contains(&t("Erwin Conradi", "hold_position", "directievoorzitter")),
        "{triples:?}"
    );
    let (_, triples) = run(
        Lang::Nl,
        &["Daar/ADV/2/advmod sprak/VERB/0/root schepen/NOUN/2/nsubj//schip Georges/PROPN/3/appos/B-PER Claes/PROPN/4/flat/I-PER ./PUNCT/2/punct"],
    );
    assert!(
        triples.contains(&t("Georges Claes", "hold_position", "schepen")),
        "{triples:?}"
    );
    // An ordinary adjective before a name is no role.
    let (_, triples) = run(
        Lang::Nl,
        &["De/DET/3/det jonge/ADJ/3/amod Erwin/PROPN/4/nsubj/B-PER vertrok/VERB/0/root ./PUNCT/4/punct"],
    );
    assert!(
        triples.iter().all(|(_, r, _)| r != "hold_position"),
        "{triples:?}"
    );
}

#[test]
fn copula_roles() {
    // "Rutte is premier van Nederland ."
    let (_, triples) = run(
        Lang::Nl,
        &["Rutte/PROPN/3/nsubj/B-PER is/AUX/3/cop//zijn premier/NOUN/0/root van/ADP/5/case Nederland/PROPN/3/nmod/B-LOC ./PUNCT/3/punct"],
    );
    assert_eq!(
        triples,
        vec![t("Rutte", "hold_position", "premier van Nederland")]
    );
}

#[test]
fn reported_speech_attributes_its_content_to_the_speaker() {
    // "Wang zei dat Xi Moskou zal bezoeken ."
    let (ex, triples) = run(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER zei/VERB/0/root//zeggen dat/SCONJ/7/mark Xi/PROPN/7/nsubj/B-PER Moskou/PROPN/7/obj/B-LOC zal/AUX/7/aux//zullen bezoeken/VERB/2/ccomp//bezoeken ./PUNCT/2/punct"],
    );
    assert!(
        triples.contains(&t("Wang", "say", "“Xi Moskou zal bezoeken”")),
        "{triples:?}"
    );
    let visit = find(&ex, "Xi", "visit", "Moskou");
    assert_eq!(visit.attributed_to.map(|c| ex.label(c)), Some("Wang"));
    assert_eq!(
        visit.modality,
        Modality::Planned,
        "a plan stays a plan when reported"
    );
    let say = find(&ex, "Wang", "say", "Xi Moskou zal bezoeken");
    assert_eq!(say.attributed_to, None);
    assert_eq!(say.modality, Modality::Asserted);
}

#[test]
fn volgens_and_according_to_attribute_the_clause() {
    // "Volgens Reuters bezocht Xi Moskou ." / "According to Reuters , Xi visited Moscow ."
    let cases = [
        (Lang::Nl, "Volgens/ADP/2/case Reuters/PROPN/3/obl/B-ORG bezocht/VERB/0/root//bezoeken Xi/PROPN/3/nsubj/B-PER Moskou/PROPN/3/obj/B-LOC ./PUNCT/3/punct", "Moskou"),
        (Lang::En, "According/VERB/3/case to/ADP/1/fixed Reuters/PROPN/6/obl/B-ORG ,/PUNCT/6/punct Xi/PROPN/6/nsubj/B-PER visited/VERB/0/root//visit Moscow/PROPN/6/obj/B-LOC ./PUNCT/6/punct", "Moscow"),
    ];
    for (lang, s, place) in cases {
        let (ex, triples) = run(lang, &[s]);
        assert_eq!(triples.len(), 2, "{triples:?}");
        let st = find(&ex, "Xi", "visit", place);
        assert_eq!(st.attributed_to.map(|c| ex.label(c)), Some("Reuters"));
        assert_eq!(st.modality, Modality::Reported);
        // And the source says what follows it.
        let said = ex.statements.iter().find(|s| s.relation == "say").unwrap();
        assert_eq!(ex.label(said.subject), "Reuters");
        assert_eq!(said.rule, "according-to");
        let Arg::Literal(text) = &said.object else {
            panic!()
        };
        assert!(text.contains("Xi") && text.contains(place), "{text}");
    }
}

#[test]
fn dat_meldt_x_attributes_the_previous_sentence() {
    let (ex, triples) = run(
        Lang::Nl,
        &[
            "Xi/PROPN/2/nsubj/B-PER bezoekt/VERB/0/root//bezoeken Moskou/PROPN/2/obj/B-LOC ./PUNCT/2/punct",
            // "Dat meldt de Wall Street Journal ." with subject and object swapped, as parsers do.
            "Dat/PRON/2/nsubj meldt/VERB/0/root//melden de/DET/4/det Wall/PROPN/2/obj/B-ORG Street/PROPN/4/flat/I-ORG Journal/PROPN/4/flat/I-ORG ./PUNCT/2/punct",
        ],
    );
    let visit = find(&ex, "Xi", "visit", "Moskou");
    assert_eq!(
        visit.attributed_to.map(|c| ex.label(c)),
        Some("Wall Street Journal")
    );
    assert_eq!(visit.modality, Modality::Reported);
    assert!(
        triples.contains(&t("Wall Street Journal", "report", "“Xi bezoekt Moskou .”")),
        "{triples:?}"
    );
}

#[test]
fn a_quoted_clause_after_dat_loses_both_marks() {
    // "Wang zei dat “ Xi Moskou zal bezoeken ” .": the marks pair around the clause, so what
    // was said drops both, not only the opening one.
    let (_, triples) = run(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER zei/VERB/0/root//zeggen dat/SCONJ/8/mark “/PUNCT/8/punct Xi/PROPN/8/nsubj/B-PER Moskou/PROPN/8/obj/B-LOC zal/AUX/8/aux//zullen bezoeken/VERB/2/ccomp//bezoeken ”/PUNCT/8/punct ./PUNCT/2/punct"],
    );
    assert!(
        triples.contains(&t("Wang", "say", "“Xi Moskou zal bezoeken”")),
        "{triples:?}"
    );
}

#[test]
fn a_quotation_opened_inside_what_was_said_keeps_its_closing_mark() {
    // "Rusland zei dat het “ verheugd is dat China helpt . ”": the parser hangs the closing
    // mark on the main verb, outside the clause; the clause keeps it all the same.
    let (_, triples) = run(
        Lang::Nl,
        &["Rusland/PROPN/2/nsubj/B-LOC zei/VERB/0/root//zeggen dat/SCONJ/6/mark het/PRON/6/nsubj “/PUNCT/6/punct verheugd/ADJ/2/ccomp is/AUX/6/cop//zijn dat/SCONJ/10/mark China/PROPN/10/nsubj/B-LOC helpt/VERB/6/ccomp//helpen ./PUNCT/2/punct ”/PUNCT/2/punct"],
    );
    assert!(
        triples.contains(&t(
            "Rusland",
            "say",
            "“het “ verheugd is dat China helpt . ””"
        )),
        "{triples:?}"
    );
    // A quotation wholly inside the span loses nothing, one around it is trimmed.
    let d = doc(
        Lang::Nl,
        &["“/PUNCT/3/punct Wij/PRON/3/nsubj steunen/VERB/0/root ”/PUNCT/3/punct ,/PUNCT/3/punct zei/VERB/3/parataxis Poetin/PROPN/6/nsubj"],
    );
    let tree = super::tree::Tree::new(&d, 0);
    assert_eq!(tree.text(0, 4), "“ Wij steunen ” ,");
    assert_eq!(tree.trim_punct(0, 4), (1, 2));
    assert_eq!(
        tree.trim_punct(1, 6),
        (0, 6),
        "a closing mark pulls in its opener"
    );
}

#[test]
fn direct_quotes_belong_to_their_speaker() {
    // "“ Wij steunen Oekraïne ” , zei Poetin ."
    let (ex, triples) = run(
        Lang::Nl,
        &["“/PUNCT/3/punct Wij/PRON/3/nsubj steunen/VERB/0/root//steunen Oekraïne/PROPN/3/obj/B-LOC ”/PUNCT/3/punct ,/PUNCT/7/punct zei/VERB/3/parataxis//zeggen Poetin/PROPN/7/nsubj/B-PER ./PUNCT/3/punct"],
    );
    assert_eq!(triples, vec![t("Poetin", "say", "“Wij steunen Oekraïne”")]);
    assert_eq!(ex.statements[0].rule, "lexicon-verb");
}

#[test]
fn a_demonstrative_inside_the_quote_is_no_report_of_the_sentence_before() {
    // "“ Al bij al is dat vlot verlopen ” , meent Du Bois ." parsed with the quote's words hung
    // on the speech verb, "dat" among them as its subject: what Du Bois said is the quote, not
    // the sentence before ("Dat meldt de krant" would hand that one to the reporter).
    let before = "Het/PRON/2/nsubj klopte/VERB/0/root ./PUNCT/2/punct";
    let quote = "“/PUNCT/11/punct Al/ADV/4/amod bij/ADP/4/case al/ADV/11/advcl is/AUX/11/aux dat/PRON/11/nsubj vlot/ADJ/8/advmod verlopen/VERB/11/parataxis ”/PUNCT/8/punct ,/PUNCT/8/punct meent/VERB/0/root//menen Du/PROPN/11/nsubj/B-PER Bois/PROPN/12/flat/I-PER ./PUNCT/11/punct";
    let (ex, triples) = run(Lang::Nl, &[before, quote]);
    assert_eq!(
        triples,
        vec![t("Du Bois", "say", "“Al bij al is dat vlot verlopen”")]
    );
    assert_eq!(ex.statements[0].sentence, 1);
    // Without the quote marks the same words are "Dat meldt X": the sentence before is the
    // report.
    let unquoted = "Dat/PRON/2/nsubj meent/VERB/0/root//menen Du/PROPN/2/obj/B-PER Bois/PROPN/3/flat/I-PER ./PUNCT/2/punct";
    let (ex, _) = run(Lang::Nl, &[before, unquoted]);
    assert!(
        ex.statements
            .iter()
            .any(|s| s.rule == "report-previous-sentence"),
        "{:?}",
        ex.statements
    );
}

#[test]
fn a_phrase_hung_under_a_bare_time_word_is_the_verbs() {
    // "Lavrov werd donderdag door Poetin ontvangen in het Kremlin ." with both phrases hung
    // under "donderdag": the agent and the place are the passive verb's.
    let hung = "Lavrov/PROPN/6/nsubj:pass/B-PER werd/AUX/6/aux:pass donderdag/NOUN/6/obl door/ADP/5/case Poetin/PROPN/3/nmod/B-PER ontvangen/VERB/0/root//ontvangen in/ADP/9/case het/DET/9/det//het/PronType=Art Kremlin/PROPN/3/nmod/B-LOC ./PUNCT/6/punct";
    let (ex, triples) = run(Lang::Nl, &[&hung]);
    assert_eq!(triples, vec![t("Poetin", "host", "Lavrov")]);
    assert!(ex.statements[0].place.is_some(), "{:?}", ex.statements[0]);
    // With an article the noun heads a phrase of its own ("de week van de waarheid"), and its
    // phrases stay: no agent, so Lavrov is no object of Poetin.
    let article = hung
        .replace("donderdag/NOUN/6/obl", "week/NOUN/6/obl")
        .replace(
            "Lavrov/PROPN/6/nsubj:pass/B-PER",
            "de/DET/3/det//de/PronType=Art",
        );
    let (_, triples) = run(Lang::Nl, &[&article]);
    assert!(
        !triples.iter().any(|(s, _, _)| s == "Poetin"),
        "{triples:?}"
    );
}

#[test]
fn a_speaker_after_a_quote_survives_an_inverted_parse() {
    // "“ Dit is goed nieuws ” , meent Poetin ." with the quote as the verb's subject and the
    // speaker as its object: the parse repair swaps them back.
    let s = "“/PUNCT/5/punct Dit/PRON/5/nsubj is/AUX/5/cop goed/ADJ/5/amod nieuws/NOUN/8/nsubj ”/PUNCT/5/punct ,/PUNCT/5/punct meent/VERB/0/root//menen Poetin/PROPN/8/obj/B-PER ./PUNCT/8/punct";
    let (ex, triples) = run(Lang::Nl, &[s]);
    assert_eq!(triples, vec![t("Poetin", "say", "“Dit is goed nieuws”")]);
    assert_eq!(ex.statements[0].rule, "lexicon-verb");
    // The same parse read as it is would make the quote the speaker.
    let plain = s.replace("nieuws/NOUN/8/nsubj", "nieuws/NOUN/8/advcl");
    let (_, triples) = run(Lang::Nl, &[&plain]);
    assert_eq!(triples, vec![t("Poetin", "say", "“Dit is goed nieuws”")]);
    // A single word of the quote under the verb is not what was said: the whole quote is.
    let (_, triples) = run(
        Lang::Nl,
        &["“/PUNCT/9/punct Dat/PRON/9/parataxis vraag/NOUN/9/obj ik/PRON/9/nsubj ook/ADV/9/advmod niet/ADV/9/advmod ”/PUNCT/9/punct ,/PUNCT/9/punct zegt/VERB/0/root//zeggen Robeyns/PROPN/9/nsubj/B-PER ./PUNCT/9/punct"],
    );
    assert!(
        triples.contains(&t("Robeyns", "say", "“Dat vraag ik ook niet”")),
        "{triples:?}"
    );
    assert!(
        !triples.contains(&t("Robeyns", "say", "“Dat”")),
        "{triples:?}"
    );
    // The speaker read as an indirect object.
    let plain = s.replace("Poetin/PROPN/8/obj", "Poetin/PROPN/8/iobj");
    let (_, triples) = run(Lang::Nl, &[&plain]);
    assert_eq!(triples, vec![t("Poetin", "say", "“Dit is goed nieuws”")]);
    // A role noun the parser hung under the speech verb as `flat` is its subject.
    let (_, triples) = run(
        Lang::Nl,
        &["“/PUNCT/5/punct Dit/PRON/5/nsubj is/AUX/5/cop goed/ADJ/5/amod nieuws/NOUN/0/root ”/PUNCT/5/punct ,/PUNCT/8/punct meent/VERB/5/parataxis//menen minister/NOUN/8/flat Jan/PROPN/9/appos/B-PER Peeters/PROPN/10/flat/I-PER ./PUNCT/5/punct"],
    );
    assert!(
        triples.contains(&t("Jan Peeters", "say", "“Dit is goed nieuws”")),
        "{triples:?}"
    );
}

#[test]
fn an_object_read_as_an_oblique_is_the_object() {
    // "Wang ontmoette gisteren minister Sergej Lavrov ." with the object as `obl`.
    let s = "Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root//ontmoeten gisteren/ADV/2/advmod minister/NOUN/2/obl Sergej/PROPN/4/appos/B-PER Lavrov/PROPN/5/flat/I-PER ./PUNCT/2/punct";
    let (_, triples) = run(Lang::Nl, &[s]);
    assert!(
        triples.contains(&t("Wang", "meet", "Sergej Lavrov")),
        "{triples:?}"
    );
    // A bare time phrase stays a time, and a verb with an object keeps it.
    let s = "Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root//ontmoeten Lavrov/PROPN/2/obj/B-PER vorige/ADJ/5/amod//vorig week/NOUN/2/obl ./PUNCT/2/punct";
    let (ex, triples) = run(Lang::Nl, &[s]);
    assert_eq!(triples, vec![t("Wang", "meet", "Lavrov")]);
    assert_eq!(ex.statements[0].time.as_deref(), Some("vorige week"));
    let s = "Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root//ontmoeten Lavrov/PROPN/2/obj/B-PER minister/NOUN/2/obl Poetin/PROPN/4/appos/B-PER ./PUNCT/2/punct";
    let (_, triples) = run(Lang::Nl, &[s]);
    assert!(
        triples.contains(&t("Wang", "meet", "Lavrov")),
        "{triples:?}"
    );
    assert!(
        !triples.contains(&t("Wang", "meet", "Poetin")),
        "{triples:?}"
    );
}

#[test]
fn a_verb_with_its_own_subject_heads_a_clause_whatever_its_label() {
    // "Xi zou Moskou bezoeken , wanneer is onduidelijk ." with "bezoeken" as `mark`.
    let s = "Xi/PROPN/4/nsubj/B-PER zou/AUX/4/aux Moskou/PROPN/4/obj/B-LOC bezoeken/VERB/8/mark//bezoeken ,/PUNCT/8/punct wanneer/ADV/8/advmod is/AUX/8/cop onduidelijk/ADJ/0/root ./PUNCT/8/punct";
    let (_, triples) = run(Lang::Nl, &[s]);
    assert_eq!(triples, vec![t("Xi", "visit", "Moskou")]);
    // Without a subject of its own a verb under a noun stays a noun ("naar eigen zeggen").
    let s = "Xi/PROPN/2/nsubj/B-PER bezocht/VERB/0/root//bezoeken Moskou/PROPN/2/obj/B-LOC naar/ADP/6/case eigen/ADJ/6/amod zeggen/VERB/2/obl//zeggen ./PUNCT/2/punct";
    let (_, triples) = run(Lang::Nl, &[s]);
    assert_eq!(triples, vec![t("Xi", "visit", "Moskou")]);
}

#[test]
fn a_name_split_from_its_role_noun_is_joined_again() {
    // "Vandaag ontmoet minister Jan Peeters Poetin ." with "minister" as subject and the name
    // as a second object: the name is the minister's apposition.
    let s = "Vandaag/ADV/2/advmod ontmoet/VERB/0/root//ontmoeten minister/NOUN/2/nsubj Jan/PROPN/2/obj/B-PER Peeters/PROPN/4/flat/I-PER Poetin/PROPN/2/obj/B-PER ./PUNCT/2/punct";
    let (_, triples) = run(Lang::Nl, &[s]);
    assert!(
        triples.contains(&t("Jan Peeters", "meet", "Poetin")),
        "{triples:?}"
    );
    assert!(
        triples.contains(&t("Jan Peeters", "hold_position", "minister")),
        "{triples:?}"
    );
    assert!(
        !triples.iter().any(|(_, _, o)| o == "Jan Peeters"),
        "{triples:?}"
    );
    // A name after a preposition is no apposition ("minister met Peeters").
    let s = "Vandaag/ADV/2/advmod ontmoet/VERB/0/root//ontmoeten minister/NOUN/2/nsubj met/ADP/5/case Jan/PROPN/2/obl/B-PER Peeters/PROPN/5/flat/I-PER ./PUNCT/2/punct";
    let (_, triples) = run(Lang::Nl, &[s]);
    assert!(
        !triples.iter().any(|(_, r, _)| r == "hold_position"),
        "{triples:?}"
    );
}

#[test]
fn pronouns_resolve_to_the_last_person_named_as_subject() {
    let (ex, triples) = run(
        Lang::Nl,
        &[
            "Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root//ontmoeten Lavrov/PROPN/2/obj/B-PER ./PUNCT/2/punct",
            "Hij/PRON/2/nsubj prees/VERB/0/root//prijzen Poetin/PROPN/2/obj/B-PER ./PUNCT/2/punct",
            // "ze" with a plural verb is a group: no statement.
            "Ze/PRON/2/nsubj bezochten/VERB/0/root//bezoeken/Number=Plur|Tense=Past|VerbForm=Fin Moskou/PROPN/2/obj/B-LOC ./PUNCT/2/punct",
        ],
    );
    assert_eq!(
        triples,
        vec![t("Wang", "meet", "Lavrov"), t("Wang", "praise", "Poetin")]
    );
    let praise = find(&ex, "Wang", "praise", "Poetin");
    assert_eq!(praise.rule, "lexicon-verb+pronoun");
    assert!(praise.confidence < find(&ex, "Wang", "meet", "Lavrov").confidence);
}

#[test]
fn role_nouns_resolve_to_the_person_holding_the_role() {
    let (ex, triples) = run(
        Lang::Nl,
        &[
            "Minister/NOUN/3/nsubj//minister Lavrov/PROPN/1/appos/B-PER sprak/VERB/0/root//spreken ./PUNCT/3/punct",
            // "Wang ontmoette de Russische minister ."
            "Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root//ontmoeten de/DET/5/det Russische/ADJ/5/amod/B-MISC/Russisch minister/NOUN/2/obj ./PUNCT/2/punct",
        ],
    );
    assert!(
        triples.contains(&t("Wang", "meet", "Lavrov")),
        "{triples:?}"
    );
    assert_eq!(
        find(&ex, "Wang", "meet", "Lavrov").rule,
        "lexicon-verb+role-noun"
    );
}

#[test]
fn time_and_place_qualifiers() {
    // "Wang ontmoette eerder op de dag Lavrov in het Kremlin ."
    let (ex, _) = run(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root//ontmoeten eerder/ADV/2/advmod op/ADP/6/case de/DET/6/det dag/NOUN/2/obl Lavrov/PROPN/2/obj/B-PER in/ADP/10/case het/DET/10/det Kremlin/PROPN/2/obl/B-LOC ./PUNCT/2/punct"],
    );
    let st = find(&ex, "Wang", "meet", "Lavrov");
    assert_eq!(st.time.as_deref(), Some("eerder op de dag"));
    assert_eq!(st.place.map(|c| ex.label(c)), Some("Kremlin"));
    // A weekday the parser took for an object is a time, not an object.
    let (ex, triples) = run(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER bezocht/VERB/0/root//bezoeken woensdag/NOUN/2/obj Moskou/PROPN/2/obj/B-LOC ./PUNCT/2/punct"],
    );
    assert_eq!(triples, vec![t("Wang", "visit", "Moskou")]);
    assert_eq!(ex.statements[0].time.as_deref(), Some("woensdag"));
    // A name the parser hung under the time word is still the object ("Macron zal volgende
    // week Berlijn bezoeken", Berlijn as apposition of week); under "in de week" it is not.
    for (week, rel) in [("obj", "appos"), ("obl", "appos"), ("obl", "flat")] {
        let s = format!("Macron/PROPN/6/nsubj/B-PER zal/AUX/6/aux volgende/VERB/4/amod//volgen week/NOUN/6/{week} Berlijn/PROPN/4/{rel}/B-LOC bezoeken/VERB/0/root ./PUNCT/6/punct");
        let (ex, triples) = run(Lang::Nl, &[&s]);
        assert_eq!(triples, vec![t("Macron", "visit", "Berlijn")], "{s}");
        assert_eq!(ex.statements[0].time.as_deref(), Some("volgende week"));
    }
    let (_, triples) = run(
        Lang::Nl,
        &["Macron/PROPN/7/nsubj/B-PER zal/AUX/7/aux in/ADP/5/case de/DET/5/det week/NOUN/7/obl Berlijn/PROPN/5/nmod/B-LOC bezoeken/VERB/0/root ./PUNCT/7/punct"],
    );
    assert!(triples.is_empty(), "{triples:?}");
}

#[test]
fn verbs_outside_the_lexicon_give_open_relations_between_names_only() {
    // "Poetin verraste Wang ." → verrassen; "Poetin verraste de zaal ." → nothing.
    let (ex, triples) = run(
        Lang::Nl,
        &["Poetin/PROPN/2/nsubj/B-PER verraste/VERB/0/root//verrassen Wang/PROPN/2/obj/B-PER ./PUNCT/2/punct"],
    );
    assert_eq!(triples, vec![t("Poetin", "verrassen", "Wang")]);
    assert_eq!(ex.statements[0].rule, "open-verb");
    let (_, triples) = run(
        Lang::Nl,
        &["Poetin/PROPN/2/nsubj/B-PER verraste/VERB/0/root//verrassen de/DET/4/det zaal/NOUN/2/obj ./PUNCT/2/punct"],
    );
    assert!(triples.is_empty(), "{triples:?}");
}

#[test]
fn purpose_nouns_name_a_further_act() {
    // "Xi reist naar Moskou voor overleg met Poetin ."
    let (ex, triples) = run(
        Lang::Nl,
        &["Xi/PROPN/2/nsubj/B-PER reist/VERB/0/root//reizen naar/ADP/4/case Moskou/PROPN/2/obl/B-LOC voor/ADP/6/case overleg/NOUN/2/obl met/ADP/8/case Poetin/PROPN/6/nmod/B-PER ./PUNCT/2/punct"],
    );
    assert!(
        triples.contains(&t("Xi", "consult", "Poetin")),
        "{triples:?}"
    );
    assert_eq!(find(&ex, "Xi", "consult", "Poetin").rule, "purpose-noun");
}

/// A name after a role noun is a person's even when the recogniser typed part of it as an
/// organisation: "topdiplomaat Wang Yi" with only "Yi" tagged, and as ORG.
#[test]
fn a_name_after_a_role_noun_is_a_person() {
    let (ex, triples) = run(
        Lang::Nl,
        &["De/DET/2/det topdiplomaat/NOUN/5/nsubj Wang/PROPN/2/appos Yi/PROPN/3/flat/B-ORG bezocht/VERB/0/root//bezoeken Rusland/PROPN/5/obj/B-LOC ./PUNCT/5/punct"],
    );
    assert!(
        triples.contains(&t("Wang Yi", "visit", "Rusland")),
        "{triples:?}"
    );
    let wang = ex.clusters.iter().find(|c| c.label == "Wang Yi").unwrap();
    assert_eq!(wang.kind, crate::graph::EntityKind::Person);
    // Without the role noun the recogniser's type stands.
    let (ex, _) = run(
        Lang::Nl,
        &["Yi/PROPN/2/nsubj/B-ORG groeit/VERB/0/root//groeien ./PUNCT/2/punct"],
    );
    let yi = ex.clusters.iter().find(|c| c.label == "Yi").unwrap();
    assert_eq!(yi.kind, crate::graph::EntityKind::Organization);
}

/// The entity column is rewritten with what resolution learnt: the widened, retyped name, a
/// surname the recogniser missed; a demonym the recogniser tagged keeps its tag.
#[test]
fn refined_entity_column_shows_the_resolved_names() {
    use crate::doc::{EntType, Iob};
    let mut d = doc(
        Lang::Nl,
        &[
            "De/DET/3/det Chinese/ADJ/3/amod/B-MISC topdiplomaat/NOUN/6/nsubj Wang/PROPN/3/appos Yi/PROPN/4/flat/B-ORG bezocht/VERB/0/root//bezoeken Rusland/PROPN/6/obj/B-LOC ./PUNCT/6/punct",
            "Wang/PROPN/2/nsubj vertrok/VERB/0/root//vertrekken ./PUNCT/2/punct",
        ],
    );
    assert!(d.annotated.deps);
    crate::resolve::refine_entities(&mut d);
    let per = |k| {
        if k == 0 {
            Iob::B(EntType::Per)
        } else {
            Iob::I(EntType::Per)
        }
    };
    assert_eq!(
        d.ner,
        [
            Iob::O,
            Iob::B(EntType::Misc),
            Iob::O,
            per(0),
            per(1),
            Iob::O,
            Iob::B(EntType::Loc),
            Iob::O,
            per(0),
            Iob::O,
            Iob::O,
        ]
    );
}

#[test]
fn names_are_merged_within_the_article_and_explained() {
    let (ex, _) = run(
        Lang::Nl,
        &[
            // The recogniser tagged only "Yi": the tree widens the name to "Wang Yi".
            "Wang/PROPN/3/nsubj Yi/PROPN/1/flat/B-PER bezocht/VERB/0/root//bezoeken Moskou/PROPN/3/obj/B-LOC ./PUNCT/3/punct",
            // "Wang" alone, untagged, tagged NOUN by a tagger: still Wang Yi. "Moscow" is Moskou.
            "Wang/NOUN/2/nsubj//wang verliet/VERB/0/root//verlaten Moscow/PROPN/2/obj ./PUNCT/2/punct",
        ],
    );
    let wang: Vec<&Cluster> = ex
        .clusters
        .iter()
        .filter(|c| c.label.starts_with("Wang"))
        .collect();
    assert_eq!(wang.len(), 1, "{:?}", ex.clusters);
    assert_eq!(wang[0].label, "Wang Yi");
    assert!(
        wang[0]
            .merges
            .iter()
            .any(|m| m.contains("“Wang” (sentence 2)")),
        "{:?}",
        wang[0].merges
    );
    let moscow: Vec<&Cluster> = ex
        .clusters
        .iter()
        .filter(|c| c.geonames == Some(524901))
        .collect();
    assert_eq!(moscow.len(), 1);
    assert!(moscow[0].names.contains("Moscow") && moscow[0].names.contains("Moskou"));
}

#[test]
fn a_surname_that_fits_two_people_is_kept_apart() {
    let (ex, _) = run(
        Lang::Nl,
        &[
            "Jan/PROPN/3/nsubj/B-PER Peeters/PROPN/1/flat/I-PER ontmoette/VERB/0/root//ontmoeten Kris/PROPN/3/obj/B-PER Peeters/PROPN/4/flat/I-PER ./PUNCT/3/punct",
            "Peeters/PROPN/2/nsubj/B-PER vertrok/VERB/0/root//vertrekken ./PUNCT/2/punct",
        ],
    );
    let alone = ex
        .clusters
        .iter()
        .find(|c| c.label == "Peeters")
        .expect("kept apart");
    assert!(alone.merges[0].contains("kept apart"), "{:?}", alone.merges);
}

#[test]
fn damaged_trees_never_loop_or_panic() {
    // A cycle (1 → 2 → 1) and a head outside the sentence.
    let mut d = doc(
        Lang::Nl,
        &["Wang/PROPN/2/nsubj/B-PER ontmoette/VERB/0/root Lavrov/PROPN/2/obj/B-PER"],
    );
    d.head = vec![2, 1, 9];
    let _ = Extractor::builtin().extract(&d);
    d.head = vec![0, 0, 0];
    d.deprel = vec!["conj".into(), "xcomp".into(), "conj".into()];
    let _ = Extractor::builtin().extract(&d);
}

#[test]
fn a_name_and_a_colon_introduce_what_was_said() {
    // Headline "Durant : Sluiting loketten is geen oplossing"
    let (ex, triples) = run(
        Lang::Nl,
        &["Durant/PROPN/0/root/B-PER :/PUNCT/1/punct Sluiting/NOUN/6/nsubj loketten/NOUN/3/nmod//loket is/AUX/6/cop//zijn oplossing/NOUN/1/parataxis"],
    );
    assert_eq!(
        triples,
        vec![t("Durant", "say", "“Sluiting loketten is oplossing”")]
    );
    assert_eq!(ex.statements[0].rule, "colon-quote");
}

fn pipeline() -> &'static crate::pipeline::Pipeline {
    crate::pipeline::Pipeline::shipped_nl()
}

const UPOS: [&str; 12] = [
    "NOUN", "PROPN", "VERB", "AUX", "PRON", "ADP", "DET", "ADJ", "ADV", "PUNCT", "SCONJ", "CCONJ",
];
const RELS: [&str; 16] = [
    "nsubj",
    "nsubj:pass",
    "obj",
    "iobj",
    "obl",
    "obl:agent",
    "nmod",
    "appos",
    "flat",
    "conj",
    "xcomp",
    "ccomp",
    "acl:relcl",
    "aux",
    "cop",
    "compound:prt",
];
const FORMS: [&str; 16] = [
    "Wang",
    "Poetin",
    "hij",
    "ze",
    "die",
    "dat",
    "zei",
    "bezoek",
    "brengen",
    "aan",
    "Moskou",
    "volgens",
    "niet",
    "president",
    ",",
    "“",
];

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 64, ..Default::default() })]

    /// Any text through the whole pipeline: extraction never panics, and every statement's
    /// evidence lies inside the text and its sentence.
    #[test]
    fn extraction_never_panics_on_any_text(text in "\\PC{0,300}") {
        let mut doc = pipeline().annotate_text(&text);
        doc.meta.id = Some("p".into());
        let ex = Extractor::builtin().extract(&doc);
        for st in &ex.statements {
            proptest::prop_assert!(st.bytes.0 <= st.bytes.1 && st.bytes.1 <= doc.text.len());
            proptest::prop_assert!(st.sentence < doc.sentences.len());
        }
        let mut g = KnowledgeGraph::new();
        let info = DocumentInfo {
            id: "p".into(), source: "p".into(), url: None, title: None, date: None,
            language: "nl".into(), sentences: doc.sentences.len(),
        };
        proptest::prop_assert!(ex.add_to_graph(&doc, info, &mut g, 0.0).is_ok());
    }

    /// Random trees (any heads, relations, tags and entity tags): no panic, no endless loop.
    #[test]
    fn extraction_never_panics_on_any_tree(
        tokens in proptest::collection::vec((0usize..16, 0usize..12, 0usize..16, 0usize..12, 0usize..4), 1..24)
    ) {
        let n = tokens.len();
        let words: Vec<String> = tokens
            .iter()
            .map(|&(f, u, r, h, ne)| {
                let ne = ["", "B-PER", "I-PER", "B-LOC"][ne];
                format!("{}/{}/{}/{}/{ne}", FORMS[f], UPOS[u], h % (n + 1), RELS[r])
            })
            .collect();
        let d = doc(Lang::Nl, &[&words.join(" ")]);
        let ex = Extractor::builtin().extract(&d);
        for st in &ex.statements {
            proptest::prop_assert!(st.bytes.1 <= d.text.len());
        }
    }
}

#[test]
fn parties_in_brackets_and_leading_roles() {
    // "Mossad-baas Yitzhak Hofi ( Likoed ) sprak ."
    let (ex, mut triples) = run(
        Lang::Nl,
        &["Mossad-baas/NOUN/5/nsubj//Mossad-baas Yitzhak/PROPN/1/appos/B-PER Hofi/PROPN/2/flat/I-PER (/PUNCT/5/punct Likoed/PROPN/2/appos/B-ORG )/PUNCT/5/punct sprak/VERB/0/root//spreken ./PUNCT/7/punct"],
    );
    // (The brackets are deliberately attached loosely: the rule reads the surface.)
    triples.sort();
    assert!(
        triples.contains(&t("Yitzhak Hofi", "hold_position", "Mossad-baas")),
        "{triples:?}"
    );
    assert!(
        triples.contains(&t("Yitzhak Hofi", "lead", "Mossad")),
        "{triples:?}"
    );
    assert!(
        triples.contains(&t("Yitzhak Hofi", "member_of", "Likoed")),
        "{triples:?}"
    );
    assert_eq!(
        find(&ex, "Yitzhak Hofi", "member_of", "Likoed").rule,
        "member-in-brackets"
    );
    assert_eq!(
        find(&ex, "Yitzhak Hofi", "lead", "Mossad").rule,
        "role-leads"
    );
    // "directeur van het bedrijf Metro Erwin Conradi": leads the organisation of the phrase.
    let (_, triples) = run(
        Lang::Nl,
        &["Directeur/NOUN/7/nsubj//directeur van/ADP/3/case Metro/PROPN/1/nmod/B-ORG Erwin/PROPN/1/appos/B-PER Conradi/PROPN/4/flat/I-PER ,/PUNCT/7/punct vertrok/VERB/0/root//vertrekken"],
    );
    assert!(
        triples.contains(&t("Erwin Conradi", "lead", "Metro")),
        "{triples:?}"
    );
    // A bracket of several words is an explanation, not a party.
    let (_, triples) = run(
        Lang::Nl,
        &["Jan/PROPN/7/nsubj/B-PER Peeters/PROPN/1/flat/I-PER (/PUNCT/4/punct Belgian/PROPN/1/appos/B-ORG Tracability/PROPN/4/flat/I-ORG )/PUNCT/4/punct sprak/VERB/0/root//spreken"],
    );
    assert!(triples.is_empty(), "{triples:?}");
}

#[test]
fn a_person_run_into_a_place_is_split() {
    // The recogniser tagged "Emmanuel Macron Moskou" as one person; "Moskou" is a place.
    let (ex, triples) = run(
        Lang::Nl,
        &["dat/SCONJ/5/mark Emmanuel/PROPN/5/nsubj/B-PER Macron/PROPN/2/flat/I-PER Moskou/PROPN/5/obj/I-PER bezocht/VERB/0/root//bezoeken"],
    );
    assert_eq!(
        triples,
        vec![t("Emmanuel Macron", "visit", "Moskou")],
        "{:?}",
        ex.clusters
    );
    let Arg::Entity(c) = ex.statements[0].object else {
        panic!()
    };
    assert_eq!(ex.clusters[c].geonames, Some(524901));
    // "burgemeester Foubert van Sint-Niklaas": the preposition goes with neither name.
    let (_, triples) = run(
        Lang::Nl,
        &["burgemeester/NOUN/5/nsubj Foubert/PROPN/1/appos/B-PER van/ADP/4/case/I-PER Sint-Niklaas/PROPN/1/nmod/I-PER beslist/VERB/0/root//beslissen"],
    );
    assert!(
        triples.contains(&t(
            "Foubert",
            "hold_position",
            "burgemeester van Sint-Niklaas"
        )),
        "{triples:?}"
    );
}
