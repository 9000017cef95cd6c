//! Search tests through the public API: build an index of a small course, query it.

use std::borrow::Cow;

use crate::*;

fn section<'a>(
    anchor: impl Into<Cow<'a, str>>,
    heading: impl Into<Cow<'a, str>>,
    text: impl Into<Cow<'a, str>>,
) -> Section<'a> {
    Section {
        anchor: anchor.into(),
        heading: heading.into(),
        text: text.into(),
    }
}

fn doc<'a>(
    url: impl Into<Cow<'a, str>>,
    title: impl Into<Cow<'a, str>>,
    sections: Vec<Section<'a>>,
) -> Document<'a> {
    Document {
        url: url.into(),
        title: title.into(),
        module: None,
        sections,
        kind: DocKind::Page,
    }
}

fn course() -> Vec<Document<'static>> {
    vec![
        doc(
            "depot.html",
            "Déposer une facture",
            vec![
                section("", "", "Chorus Pro reçoit les factures des fournisseurs."),
                section(
                    "cadre",
                    "Le cadre A1",
                    "Le cadre A1 sert au dépôt d’une facture de fournisseur.",
                ),
            ],
        ),
        doc(
            "equipement.html",
            "Achats",
            vec![section(
                "",
                "",
                "L’entreprise achète un équipement de sécurité. Son SIRET est 12345678900012.",
            )],
        ),
        doc(
            "suivi.html",
            "Suivre",
            vec![section("", "", "Le montant facturé apparaît ici.")],
        ),
        doc(
            "emission.html",
            "Émettre",
            vec![section(
                "",
                "",
                "La facturation électronique est obligatoire.",
            )],
        ),
        Document {
            url: "glossaire.html".into(),
            title: "Glossaire".into(),
            module: Some("Vocabulaire".into()),
            kind: DocKind::Glossary,
            sections: vec![section(
                "service",
                "Service",
                "Subdivision d’une structure, identifiée par un code.",
            )],
        },
        doc("vide.html", "Page sans texte sur les factures", vec![]),
    ]
}

/// The URLs of the hits for `query`, best first.
#[track_caller]
fn check(query: &str, expected_urls: &[&str]) -> Vec<Hit> {
    let hits = build_index(&course()).search(query, 10);
    let urls: Vec<&str> = hits.iter().map(|hit| hit.url.as_str()).collect();
    assert_eq!(urls, expected_urls, "hits for {query:?}");
    hits
}

/// The highlighted substrings of `text`.
fn highlighted<'a>(text: &'a str, ranges: &[(usize, usize)]) -> Vec<&'a str> {
    ranges
        .iter()
        .map(|&(start, end)| &text[start..end])
        .collect()
}

#[test]
fn unaccented_query_finds_accented_word() {
    let hits = check("equipement", &["equipement.html"]);
    assert_eq!(
        highlighted(&hits[0].excerpt, &hits[0].highlights),
        ["équipement"]
    );
}

#[test]
fn unaccented_query_finds_word_whose_accented_stem_differs() {
    // `securite` stems to `securit`, `sécurité` to `secur`: the alias bridges them even when
    // the word is complete (trailing space: no prefix matching).
    let hits = check("securite ", &["equipement.html"]);
    assert_eq!(
        highlighted(&hits[0].excerpt, &hits[0].highlights),
        ["sécurité"]
    );
    check("securites ", &["equipement.html"]);
}

#[test]
fn unaccented_query_finds_identical_folded_form() {
    // `deposer` stems to `depos`, as does `déposer`; the folded form also matches directly.
    check("deposer ", &["depot.html"]);
}

#[test]
fn plural_finds_participle_and_noun_sharing_the_stem() {
    check(
        "factures ",
        &["depot.html", "vide.html", "suivi.html", "emission.html"],
    );
}

#[test]
fn prefix_of_last_word_finds_longer_words() {
    check(
        "factu",
        &["depot.html", "vide.html", "suivi.html", "emission.html"],
    );
    check("equipem", &["equipement.html"]);
    check("Chorus p", &["depot.html"]);
}

#[test]
fn finished_word_is_not_a_prefix() {
    check("factu ", &[]);
    check("equipem factures", &[]);
}

#[test]
fn elided_article_is_ignored_in_query_and_text() {
    let hits = check("l’entreprise", &["equipement.html"]);
    assert_eq!(
        highlighted(&hits[0].excerpt, &hits[0].highlights),
        ["entreprise"]
    );
    check("l'entreprise ", &["equipement.html"]);
}

#[test]
fn stop_words_are_dropped_from_queries() {
    check("la de le ", &[]);
    check("le dépôt de la facture ", &["depot.html"]);
}

#[test]
fn stop_word_being_typed_ranks_but_does_not_filter() {
    check("electronique de", &["emission.html"]);
    // Alone, it filters. `sur` itself is not indexed, so `vide.html` is not found.
    check("su", &["suivi.html", "glossaire.html"]);
}

#[test]
fn cadre_code_is_found_in_its_section() {
    let hits = check("A1", &["depot.html"]);
    assert_eq!(hits[0].anchor, "cadre");
    assert_eq!(hits[0].section_heading, "Le cadre A1");
    assert_eq!(
        highlighted(&hits[0].section_heading, &hits[0].heading_highlights),
        ["A1"]
    );
    assert_eq!(highlighted(&hits[0].excerpt, &hits[0].highlights), ["A1"]);
}

#[test]
fn siret_digits_are_found() {
    check("12345678900012", &["equipement.html"]);
    check("siret 12345678900012 ", &["equipement.html"]);
}

#[test]
fn all_query_words_must_match_a_document() {
    check("facture sécurité", &[]);
    check("fournisseur cadre", &["depot.html"]);
}

#[test]
fn words_may_match_in_different_fields_of_a_document() {
    // `déposer` is only in the title, `chorus` only in the text.
    check("deposer chorus", &["depot.html"]);
}

#[test]
fn title_match_ranks_above_body_match() {
    let hits = check(
        "facture ",
        &["depot.html", "vide.html", "suivi.html", "emission.html"],
    );
    assert_eq!(
        highlighted(&hits[0].title, &hits[0].title_highlights),
        ["facture"]
    );
}

#[test]
fn heading_match_ranks_above_body_match() {
    let docs = [
        doc(
            "body.html",
            "B",
            vec![section("", "", "Le rejet est motivé.")],
        ),
        doc(
            "heading.html",
            "A",
            vec![section("rejet", "Rejet", "Le motif.")],
        ),
    ];
    let hits = build_index(&docs).search("rejet", 10);
    let urls: Vec<&str> = hits.iter().map(|hit| hit.url.as_str()).collect();
    assert_eq!(urls, ["heading.html", "body.html"]);
}

#[test]
fn best_section_holds_the_most_query_words() {
    let hits = check("facture cadre", &["depot.html"]);
    assert_eq!(hits[0].anchor, "cadre");
    let hits = check("chorus", &["depot.html"]);
    assert_eq!(hits[0].anchor, "");
}

#[test]
fn document_without_sections_is_found_by_its_title() {
    let hits = check("sans texte", &["vide.html"]);
    assert_eq!(
        (hits[0].excerpt.as_str(), hits[0].anchor.as_str()),
        ("", "")
    );
}

#[test]
fn hit_carries_module_and_kind() {
    let hits = check("subdivision", &["glossaire.html"]);
    assert_eq!(hits[0].module.as_deref(), Some("Vocabulaire"));
    assert_eq!(hits[0].kind, DocKind::Glossary);
    assert_eq!(hits[0].anchor, "service");
}

#[test]
fn limit_bounds_the_hits() {
    let index = build_index(&course());
    assert_eq!(index.search("facture", 2).len(), 2);
    assert!(index.search("facture", 0).is_empty());
    assert!(index.search("", 10).is_empty());
    assert!(index.search(" … ’ ", 10).is_empty());
}

#[test]
fn decomposed_accents_in_query_match() {
    check("se\u{301}curite\u{301} ", &["equipement.html"]);
}

#[test]
fn highlights_of_every_hit_cover_matching_words() {
    let index = build_index(&course());
    for query in [
        "facture",
        "factu",
        "l’entreprise sécurité",
        "a1",
        "structure code",
    ] {
        for hit in index.search(query, 10) {
            for (text, ranges) in [
                (&hit.excerpt, &hit.highlights),
                (&hit.title, &hit.title_highlights),
                (&hit.section_heading, &hit.heading_highlights),
            ] {
                for word in highlighted(text, ranges) {
                    let tokens = tokens(word);
                    assert_eq!(tokens.len(), 1, "{word:?} highlighted for {query:?}");
                    assert_eq!(tokens[0].range, 0..word.len());
                }
            }
        }
    }
}

#[test]
fn excerpt_of_long_section_is_cut_around_the_match() {
    let filler = "Ce paragraphe décrit longuement le portail et ses usages courants. ".repeat(8);
    let text = format!("{filler}Le mandat de facturation se signe avec le client. {filler}");
    let index = build_index(&[doc("long.html", "Long", vec![section("", "", &text)])]);
    let hits = index.search("mandat", 1);
    let excerpt = &hits[0].excerpt;
    assert!(
        excerpt.starts_with('…') && excerpt.ends_with('…'),
        "{excerpt}"
    );
    assert!(excerpt.chars().count() <= 205, "{excerpt}");
    assert_eq!(highlighted(excerpt, &hits[0].highlights), ["mandat"]);
    // No match in the text: the excerpt is the lead.
    let hits = index.search("long ", 1);
    assert!(hits[0].excerpt.starts_with("Ce paragraphe"));
    assert!(hits[0].highlights.is_empty());
}

#[test]
fn stored_text_keeps_lead_and_sentences_with_new_terms_within_budget() {
    let filler = "Le portail reçoit les factures du fournisseur. ".repeat(20);
    let text = format!("{filler}Le mandat se signe. {filler}La suspension bloque le dépôt.");
    let options = IndexOptions {
        stored_chars: 300,
        lead_chars: 100,
    };
    let index = build_index_with(
        &[doc("a.html", "A", vec![section("", "", &text)])],
        &options,
    );
    let stored = &index.texts()[0];
    assert!(stored.chars().count() <= 300 + 2, "{stored}");
    assert!(stored.starts_with("Le portail reçoit"));
    assert!(stored.contains(" … Le mandat se signe. … "), "{stored}");
    assert!(
        stored.ends_with("La suspension bloque le dépôt."),
        "{stored}"
    );
    assert_eq!(index.search("suspension", 1).len(), 1);
    // Terms left out of the stored text are still indexed.
    let short = IndexOptions {
        stored_chars: 120,
        lead_chars: 100,
    };
    let index = build_index_with(&[doc("a.html", "A", vec![section("", "", &text)])], &short);
    assert!(!index.texts()[0].contains("suspension"));
    assert_eq!(index.search("suspension", 1)[0].url, "a.html");
}

/// A course of `n_docs` pages whose long sections mix a small vocabulary, so that terms,
/// forms, aliases and the excerpt store all take many documents to settle.
fn generated_course(n_docs: usize) -> Vec<Document<'static>> {
    const WORDS: [&str; 16] = [
        "facture",
        "factures",
        "facturée",
        "sécurité",
        "securite",
        "équipement",
        "l’entreprise",
        "dépose",
        "A1",
        "12345678900012",
        "mandat",
        "Œuvre",
        "de",
        "la",
        "service",
        "Chorus",
    ];
    let mut seed = 0x2545_f491_u32;
    let mut next_word = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        WORDS[seed as usize % WORDS.len()]
    };
    (0..n_docs)
        .map(|doc_idx| {
            let sections = (0..3)
                .map(|section_idx| {
                    let sentences: Vec<String> = (0..12)
                        .map(|_| {
                            let words: Vec<&str> = (0..10).map(|_| next_word()).collect();
                            format!("{}.", words.join(" "))
                        })
                        .collect();
                    section(
                        format!("s{section_idx}"),
                        format!("{} {}", next_word(), next_word()),
                        sentences.join(" "),
                    )
                })
                .collect();
            let title = format!("{} {doc_idx}", next_word());
            doc(format!("p{doc_idx}.html"), title, sections)
        })
        .collect()
}

#[test]
fn parallel_and_serial_builds_write_the_same_json() {
    let docs = generated_course(200);
    let options = IndexOptions {
        stored_chars: 300,
        lead_chars: 100,
    };
    let serial_index = crate::index::build(&docs, &options, crate::index::Mode::Serial);
    let serial = serial_index.to_script();
    let default = build_index_with(&docs, &options).to_script();
    assert_eq!(default, serial);
    // The stored texts were cut, so the excerpt store's choices are part of the comparison.
    assert!(serial_index.texts().iter().any(|text| text.contains(" … ")));
    #[cfg(feature = "parallel")]
    {
        let parallel =
            crate::index::build(&docs, &options, crate::index::Mode::Parallel).to_script();
        assert_eq!(parallel, serial);
    }
}

#[test]
fn building_twice_gives_the_same_json() {
    let docs = generated_course(50);
    assert_eq!(
        build_index(&docs).to_script(),
        build_index(&docs).to_script()
    );
}

#[test]
fn heavy_posting_weights_survive_the_json_round_trip() {
    // A heading occurrence (4) and five body ones: 9 does not fit in the packed weight bits.
    let text = format!("{}facture", "mandat ".repeat(5));
    let docs = [doc(
        "a.html",
        "A",
        vec![section("s", "Mandat", &text), section("t", "", "mandat")],
    )];
    let index = build_index(&docs);
    let loaded = Index::from_json(&index.to_json()).expect("a built index loads");
    for index in [&index, &loaded] {
        let term = index.term_id("mandat").expect("indexed");
        let postings: Vec<(u32, u32)> = index.postings(term).collect();
        assert_eq!(postings, [(0, 9), (1, 1)]);
    }
}

#[test]
fn json_round_trip_keeps_index_and_answers() {
    let index = build_index(&course());
    let json = index.to_json();
    let loaded = Index::from_json_and_texts(&json, index.texts().to_vec()).expect("loads");
    assert_eq!(loaded.to_json(), json);
    // Without its texts, the texts are read on demand, for the hits only.
    let bare = Index::from_json(&json).expect("a built index loads");
    let asked = std::cell::RefCell::new(Vec::new());
    for query in ["facture", "securite", "a1", "factu", "l'entreprise"] {
        let hits = index.search(query, 10);
        assert!(!hits.is_empty(), "{query}");
        assert_eq!(loaded.search(query, 10), hits, "{query}");
        let on_demand = bare.search_with(query, 10, |section| {
            asked.borrow_mut().push(section);
            index.texts().get(section).cloned()
        });
        assert_eq!(on_demand, hits, "{query}");
        assert!(
            asked.borrow().len() <= hits.len(),
            "{query}: one text per hit"
        );
        asked.borrow_mut().clear();
        assert!(bare
            .search(query, 10)
            .iter()
            .all(|hit| hit.excerpt.is_empty()));
    }
    assert!(Index::from_json_and_texts(&json, Vec::new()).is_err());
    assert_eq!(
        (loaded.n_docs(), loaded.n_terms()),
        (index.n_docs(), index.n_terms())
    );
}

#[test]
fn json_uses_compact_arrays() {
    let index = build_index(&[doc(
        "a.html",
        "Facture",
        vec![section("s", "Titre", "facturer 42")],
    )]);
    assert_eq!(
        index.to_json(),
        r#"{"v":3,"docs":[["a.html","Facture",null,"page"]],"secs":[[0,"s","Titre"]],"terms":["42","factur","titr"],"post":[[1],[1],[4]],"title":[[1,[0]]],"forms":[[],["e","er"],["e"]],"alias":[]}"#
    );
    assert_eq!(index.texts(), ["facturer 42"]);
}

#[track_caller]
fn check_load_error(json: &str, expected: &str) {
    match Index::from_json(json) {
        Ok(_) => panic!("{json} loaded"),
        Err(err) => assert!(err.to_string().contains(expected), "{err}"),
    }
}

#[test]
fn broken_index_is_an_error_not_a_panic() {
    let valid = build_index(&course()).to_json();
    check_load_error("{", "not valid JSON");
    check_load_error(
        &valid.replacen(r#""v":3"#, r#""v":7"#, 1),
        "format version 7",
    );
    let empty =
        r#"{"v":3,"docs":[],"secs":[],"terms":[],"post":[],"title":[],"forms":[],"alias":[]}"#;
    assert!(Index::from_json(empty).is_ok());
    let one_doc = r#"{"v":3,"docs":[["a","A",null,"page"]],"secs":[[0,"",""]],"terms":["x"],"#;
    check_load_error(
        &format!(r#"{one_doc}"post":[[9]],"title":[],"forms":[[]],"alias":[]}}"#),
        "missing section",
    );
    check_load_error(
        &format!(r#"{one_doc}"post":[[0]],"title":[],"forms":[[]],"alias":[]}}"#),
        "lacks its weight",
    );
    check_load_error(
        &format!(r#"{one_doc}"post":[[0,0]],"title":[],"forms":[[]],"alias":[]}}"#),
        "lacks its weight",
    );
    check_load_error(
        &format!(r#"{one_doc}"post":[[1]],"title":[[0,[3]]],"forms":[[]],"alias":[]}}"#),
        "title posting",
    );
    check_load_error(
        &format!(r#"{one_doc}"post":[[1]],"title":[],"forms":[[]],"alias":[["y",2]]}}"#),
        "aliases",
    );
    check_load_error(
        &format!(r#"{one_doc}"post":[],"title":[],"forms":[[]],"alias":[]}}"#),
        "one posting list",
    );
}

#[test]
fn utf16_ranges_count_code_units() {
    let text = "é😀 facture";
    let start = text.find("facture").expect("in text");
    assert_eq!(utf16_ranges(text, &[(start, start + 7)]), [(4, 11)]);
    assert_eq!(utf16_ranges(text, &[(0, 2)]), [(0, 1)]);
}

#[test]
fn the_script_written_as_it_is_made_is_the_json_then_the_texts() {
    let index = build_index(&generated_course(40));
    let expected = index_script(&index.to_json(), crate::index::INDEX_VAR)
        + &strings_script(index.texts(), crate::index::TEXTS_VAR);
    let mut written = Vec::new();
    index.write_script(&mut written).unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), expected);
    assert_eq!(index.to_script(), expected);
}

#[test]
fn the_script_holds_the_json_and_the_texts_of_an_index() {
    let index = build_index(&[doc("a.html", "</script>", vec![])]);
    let script = index.to_script();
    assert!(script.starts_with("window.didactSearchIndex = \"{\\\"v\\\":3,"));
    assert!(script.contains("\nwindow.didactSearchTexts = [\n"));
    assert!(!script.contains("</script>"));
}
