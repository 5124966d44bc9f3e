use super::*;
use proptest::prelude::*;

/// The tokens of `text`, sentence by sentence.
fn sents(text: &str, lang: Lang) -> Vec<Vec<String>> {
    let doc = segment(text, lang);
    check_invariants(text, &doc);
    doc.sentences
        .iter()
        .map(|s| doc.form[s.range()].to_vec())
        .collect()
}

fn toks(text: &str, lang: Lang) -> Vec<String> {
    sents(text, lang).concat()
}

fn nl(text: &str) -> Vec<String> {
    toks(text, Lang::Nl)
}

fn en(text: &str) -> Vec<String> {
    toks(text, Lang::En)
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}

/// What every segmentation must satisfy, whatever the input.
fn check_invariants(text: &str, doc: &Doc) {
    let mut covered = 0; // bytes before this offset are in a token or whitespace
    for i in 0..doc.len() {
        let (s, e) = (doc.start[i] as usize, doc.end[i] as usize);
        assert!(s < e, "empty token {i} in {text:?}");
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        assert_eq!(doc.form[i], &text[s..e]);
        assert!(
            !doc.form[i].chars().any(char::is_whitespace),
            "{:?}",
            doc.form[i]
        );
        assert!(s >= covered, "tokens overlap or go back in {text:?}");
        assert!(
            text[covered..s].chars().all(char::is_whitespace),
            "{:?} is in no token of {text:?}",
            &text[covered..s]
        );
        let next_is_space = text[e..].chars().next().is_none_or(char::is_whitespace);
        assert_eq!(doc.space_after[i], next_is_space);
        covered = e;
    }
    assert!(text[covered..].chars().all(char::is_whitespace));
    // Sentences cover every token in order.
    let mut at = 0;
    for s in &doc.sentences {
        assert_eq!(s.start, at);
        assert!(s.end > s.start);
        at = s.end;
    }
    assert_eq!(at, doc.len());
}

#[test]
fn abbreviations_keep_their_period_and_do_not_end_sentences() {
    let text = "Dhr. Jansen en mevr. De Vries (o.a. bekend van tv, bv. in Nr. 5) kwamen op 3 jan. \
                naar blz. 12 van St. Maarten en prof. Smit.";
    assert_eq!(
        sents(text, Lang::Nl),
        vec![words(
            "Dhr. Jansen en mevr. De Vries ( o.a. bekend van tv , bv. in Nr. 5 ) kwamen op 3 \
             jan. naar blz. 12 van St. Maarten en prof. Smit ."
        )]
    );
    // `enz.` and `e.d.` may end a sentence; the period is not repeated (Alpino convention).
    assert_eq!(
        sents("Boeken, kranten e.d. Daarna enz. De rest.", Lang::Nl),
        vec![
            words("Boeken , kranten e.d."),
            words("Daarna enz."),
            words("De rest ."),
        ]
    );
    // A month abbreviation is lowercase only: `Jan.` ends a sentence about Jan.
    assert_eq!(
        sents("Ik zag Jan. Hij zag mij.", Lang::Nl),
        vec![words("Ik zag Jan ."), words("Hij zag mij .")]
    );
    // English web text starts sentences in lowercase; a quote keeps the sentence going.
    assert_eq!(
        sents("i think so. why not? \"Really?\" she asked.", Lang::En),
        vec![
            words("i think so ."),
            words("why not ?"),
            words("\" Really ? \" she asked .")
        ]
    );
    assert_eq!(
        sents(
            "Mr. Smith met Dr. Jones at 10 a.m. Then he left, etc. But why?",
            Lang::En
        ),
        vec![
            words("Mr. Smith met Dr. Jones at 10 a.m."),
            words("Then he left , etc."),
            words("But why ?")
        ]
    );
}

#[test]
fn initials_stay_with_their_period() {
    assert_eq!(
        sents(
            "J.F. Kennedy en W. H. Vliegen kwamen. Psycholoog F. Buschman ook.",
            Lang::Nl
        ),
        vec![
            words("J.F. Kennedy en W. H. Vliegen kwamen ."),
            words("Psycholoog F. Buschman ook ."),
        ]
    );
}

#[test]
fn numbers_dates_and_times_are_one_token() {
    assert_eq!(
        nl("Het kost 1.000,50 euro; dat is 3,5% meer dan in 2023-02 om 12.30 uur."),
        words("Het kost 1.000,50 euro ; dat is 3,5% meer dan in 2023-02 om 12.30 uur .")
    );
    assert_eq!(
        nl("Op 28-11-2026 om 12:30, of 28/11/2026, bij 66° 13' N."),
        words("Op 28-11-2026 om 12:30 , of 28/11/2026 , bij 66° 13' N.")
    );
    // EWT writes the percent sign apart and keeps dates and phone numbers whole.
    assert_eq!(
        en("It rose 3.5% on 9/11 and 03/15/2001; call 713-853-3989."),
        words("It rose 3.5 % on 9/11 and 03/15/2001 ; call 713-853-3989 .")
    );
    assert_eq!(
        en("A 375mm lens for 70k, the 2nd in the 90s, #1."),
        words("A 375 mm lens for 70 k , the 2nd in the 90s , # 1 .")
    );
    assert_eq!(
        nl("Trending: #MeToo en @nos."),
        words("Trending : #MeToo en @nos .")
    );
}

#[test]
fn every_quote_style_is_split_off() {
    let text = "Hij zei: „Ja.” Zij zei: “Nee.” Ik: ‘Tja.’ Jij: \"Wel.\" Wij: ,,Niet.'' Klaar. \
                Zij: ,, Dat klopt. '' Einde.";
    assert_eq!(
        sents(text, Lang::Nl),
        vec![
            words("Hij zei : „ Ja . ”"),
            words("Zij zei : “ Nee . ”"),
            words("Ik : ‘ Tja . ’"),
            words("Jij : \" Wel . \""),
            words("Wij : ,, Niet . ''"),
            words("Klaar ."),
            words("Zij : ,, Dat klopt . ''"),
            words("Einde ."),
        ]
    );
    assert_eq!(nl("Boogerd:,, Ik"), words("Boogerd : ,, Ik"));
    // A spaced straight quote closes the one opened before it.
    assert_eq!(
        sents("Hij zei: \" Het is klaar. \" Dan: \"Nee.\" Toen.", Lang::Nl),
        vec![
            words("Hij zei : \" Het is klaar . \""),
            words("Dan : \" Nee . \""),
            words("Toen ."),
        ]
    );
    assert_eq!(nl("het gravel:,,Dat"), words("het gravel : ,, Dat"));
}

#[test]
fn dutch_clitics_and_apostrophes_stay_in_the_word() {
    assert_eq!(
        nl("In 's-Hertogenbosch deed hij z'n best, zo'n auto's 's avonds en 't ging in de jaren '60."),
        words(
            "In 's-Hertogenbosch deed hij z'n best , zo'n auto's 's avonds en 't ging in de jaren \
             '60 ."
        )
    );
    // An apostrophe before an ordinary word opens a quote.
    assert_eq!(
        nl("Hij heet 'Mr. Guitar' en PSP'er."),
        words("Hij heet ' Mr. Guitar ' en PSP'er .")
    );
}

#[test]
fn english_clitics_split_as_in_ewt() {
    let doc = segment(
        "I don't know; it's Frisco's. We cannot go, can’t we?",
        Lang::En,
    );
    assert_eq!(
        doc.form,
        words("I do n't know ; it 's Frisco 's . We can not go , ca n’t we ?")
    );
    // `n't` is glued to `do`: one surface token, no space between.
    assert!(!doc.space_after[1]);
    let seg = scan("don't", Lang::En);
    assert_eq!(
        seg.tokens.iter().map(|t| t.glued).collect::<Vec<_>>(),
        [false, true]
    );
    // Dutch keeps them whole.
    assert_eq!(nl("don't"), words("don't"));
}

#[test]
fn hyphenated_words_stay_whole_in_dutch_and_split_in_english() {
    assert_eq!(
        nl("De Russisch-Chinese top, de land- en tuinbouw en St.-Pieter."),
        words("De Russisch-Chinese top , de land- en tuinbouw en St.-Pieter .")
    );
    assert_eq!(
        en("Coca-Cola sent an e-mail to non-profit al-Sadr and/or b/c."),
        words("Coca - Cola sent an e-mail to non-profit al - Sadr and / or b/c .")
    );
}

#[test]
fn urls_and_email_addresses_are_one_token() {
    assert_eq!(
        sents(
            "Zie https://nos.nl/artikel/123-a?x=1&y=2. Mail info@nos.nl, (www.vrt.be) ook.",
            Lang::Nl
        ),
        vec![
            words("Zie https://nos.nl/artikel/123-a?x=1&y=2 ."),
            words("Mail info@nos.nl , ( www.vrt.be ) ook ."),
        ]
    );
}

#[test]
fn ellipses_bullets_and_emoticons() {
    assert_eq!(
        sents("Nou... ja. En toen… Niets (...) meer.", Lang::Nl),
        vec![
            words("Nou ... ja ."),
            words("En toen …"),
            words("Niets ( ... ) meer .")
        ]
    );
    assert_eq!(
        sents("• eerste punt\n• tweede punt\n- derde punt", Lang::Nl),
        vec![
            words("• eerste punt"),
            words("• tweede punt"),
            words("- derde punt")
        ]
    );
    assert_eq!(
        en("Great:) Wow!!! Really?! ok :-( --"),
        words("Great :) Wow !!! Really ?! ok :-( --")
    );
}

#[test]
fn line_breaks_end_headlines_unless_the_sentence_visibly_goes_on() {
    let text = "Poetin bezoekt China\nMoskou - De Russische president is er. Hij zei\n\
                dat het goed ging,\nDaarna niets\n\nNieuwe alinea";
    assert_eq!(
        sents(text, Lang::Nl),
        vec![
            words("Poetin bezoekt China"),
            words("Moskou - De Russische president is er ."),
            words("Hij zei dat het goed ging , Daarna niets"),
            words("Nieuwe alinea"),
        ]
    );
    assert_eq!(
        sents("Het kabinet van dhr.\nJansen en J.F.\nKennedy", Lang::Nl).len(),
        1
    );
    // Windows line ends count once; a blank line always ends a sentence.
    assert_eq!(sents("Kop\r\nTekst.", Lang::Nl).len(), 2);
    assert_eq!(sents("zin die\r\n\r\ndoorloopt", Lang::Nl).len(), 2);
}

#[test]
fn final_punctuation_inside_quotes_and_brackets() {
    assert_eq!(
        sents(
            "Hij zei: ,,Ik kom.'' Daarna ging hij. (Zie boven.) Dan \"Echt?\" vroeg zij. Klaar!",
            Lang::Nl
        ),
        vec![
            words("Hij zei : ,, Ik kom . ''"),
            words("Daarna ging hij ."),
            words("( Zie boven . )"),
            words("Dan \" Echt ? \" vroeg zij ."),
            words("Klaar !"),
        ]
    );
}

#[test]
fn offsets_point_into_the_text() {
    let text = "  Wang Yi (China) zei:\n„Ja.”  ";
    let doc = segment(text, Lang::Nl);
    let spans: Vec<(u32, u32)> = (0..doc.len()).map(|i| (doc.start[i], doc.end[i])).collect();
    assert_eq!(
        spans,
        [
            (2, 6),
            (7, 9),
            (10, 11),
            (11, 16),
            (16, 17),
            (18, 21),
            (21, 22),
            (23, 26),
            (26, 28),
            (28, 29),
            (29, 32)
        ]
    );
    assert_eq!(doc.space_after[..3], [true, true, false]);
    assert!(segment("", Lang::Nl).is_empty());
    assert!(segment(" \n\t ", Lang::En).sentences.is_empty());
}

const SAMPLE: &str = "# text = Hij zei: ,,Ik kom.''\n\
1\tHij\thij\tPRON\t_\t_\t2\tnsubj\t_\t_\n\
2\tzei\tzeggen\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n\
3\t:\t:\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\
4\t,,\t,,\tPUNCT\t_\t_\t6\tpunct\t_\tSpaceAfter=No\n\
5\tIk\tik\tPRON\t_\t_\t6\tnsubj\t_\t_\n\
6\tkom\tkomen\tVERB\t_\t_\t2\tccomp\t_\tSpaceAfter=No\n\
7\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\tSpaceAfter=No\n\
8\t''\t''\tPUNCT\t_\t_\t2\tpunct\t_\t_\n\
\n\
1\tKop\tkop\tNOUN\t_\t_\t0\troot\t_\t_\n\
2\tzonder\tzonder\tADP\t_\t_\t3\tcase\t_\t_\n\
3\tpunt\tpunt\tNOUN\t_\t_\t1\tnmod\t_\t_\n\
\n\
1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
1\tDo\tdo\tAUX\t_\t_\t3\taux\t_\t_\n\
2\tn't\tnot\tPART\t_\t_\t3\tadvmod\t_\t_\n\
3\tgo\tgo\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No\n\
4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n";

#[test]
fn evaluation_matches_spans_over_the_joined_text() {
    let gold = crate::conllu::read(SAMPLE, std::path::Path::new("s.conllu"), Lang::En).unwrap();
    let scores = evaluate(&gold, Lang::En);
    assert_eq!(scores.paragraphs, 1);
    // "Hij zei: ,,Ik kom.'' Kop zonder punt Don't go." — `don't` is one surface token, two
    // words; the headline runs into the next sentence without a line break.
    assert_eq!((scores.tokens.gold, scores.words.gold), (14, 15));
    assert_eq!(scores.tokens.correct, 14);
    assert_eq!(scores.words.correct, 15);
    assert_eq!(scores.sentences.gold, 3);
    assert_eq!(scores.sentences.system, 2);
    assert_eq!(scores.sentences.correct, 1);
    // With a line break after the headline every sentence is found.
    assert_eq!(scores.sentences_by_line.correct, 3);
    assert!((scores.tokens.f1() - 1.0).abs() < 1e-12);
    let table = scores.to_string();
    assert!(
        table.contains("tokens") && table.contains("100.00"),
        "{table}"
    );
}

#[test]
fn evaluation_counts_errors() {
    // In Dutch rules `Don't` is one word, so the two gold words are missed.
    let gold = crate::conllu::read(SAMPLE, std::path::Path::new("s.conllu"), Lang::Nl).unwrap();
    let scores = evaluate(&gold, Lang::Nl);
    assert_eq!(scores.tokens.correct, 14);
    assert_eq!(scores.words.correct, 13);
    assert_eq!(scores.words.system, 14);
    assert!(scores.words.f1() < 1.0);
}

/// Pieces that stress the scanner: punctuation of every kind, clitics, URLs, odd whitespace.
fn tricky_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a", "Jan", "J", "bv", "o.a", "dhr", "1", "000", "3,5", "'", "''", ",,", "’", "‘", "“",
        "”", "„", "\"", ".", "..", "...", "…", "!", "?", "-", "–", "/", "(", ")", "[", "]", "%",
        "&", "@", "#", ":", ";", ",", "http://", "www.", "x@y.nl", "n't", "'s", "s", "t", ":)",
        "^_^", "é", "\u{301}", "\u{200d}", "🇳🇱", " ", " ", "\n", "\r\n", "\n\n", "\t", "\u{a0}",
        "\u{2029}", "\u{0}", "\u{7f}", "\u{ad}", "St", "-", "°", "²", "$", "<3",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn any_string_segments_cleanly(text in any::<String>()) {
        for lang in Lang::ALL {
            check_invariants(&text, &segment(&text, lang));
        }
    }

    #[test]
    fn punctuation_soup_segments_cleanly(pieces in prop::collection::vec(tricky_piece(), 0..60)) {
        let text = pieces.concat();
        for lang in Lang::ALL {
            check_invariants(&text, &segment(&text, lang));
        }
    }

    #[test]
    fn long_runs_of_one_char_segment_cleanly(
        c in prop::sample::select(vec!['.', '!', '\'', ',', '-', '(', ':', '@', 'a', '’']),
        n in 1usize..3000,
    ) {
        let text: String = std::iter::repeat_n(c, n).collect();
        for lang in Lang::ALL {
            check_invariants(&text, &segment(&text, lang));
        }
    }
}
