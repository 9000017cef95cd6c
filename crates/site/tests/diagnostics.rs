//! Invalid courses: every mistake reported in one run, at its file:line:column.

use didact_site::compile;

use crate::support::*;

#[test]
fn every_mistake_is_reported_at_once_with_its_position() {
    let result = compile(inputs(&[
        ("00-accueil.md", "---\ntitle: A\ntitel: x\n---\n"),
        ("01-premiers-pas/03-liens.md", "---\ntitle: L\nobjectives: [compte]\n---\n\n[x](04-absente.md) [y](02-facture.md#nulle-part)\n\n![i](../images/absente.png)\n"),
        ("01-premiers-pas/04-quiz.md", "---\ntitle: Q\n---\n\n```quiz\nid: q-bad\nquestions:\n  - id: q-bad-1\n    type: single\n    prompt: P\n    choices:\n      - text: a\n        correct: true\n      - text: b\n        correct: true\n```\n\n```quizz\nid: x\n```\n"),
        ("01-premiers-pas/05-doublon.md", "---\ntitle: D\n---\n\n```quiz\nid: q-facture\nquestions:\n  - id: q-autre\n    type: true_false\n    prompt: P\n    answer: true\n```\n"),
    ]));
    assert!(result.site.is_none());
    assert_eq!(
        located(&result),
        [
            "front-matter-unknown-key content/00-accueil.md:3:1",
            "unknown-objective content/01-premiers-pas/03-liens.md:3:14",
            "broken-link content/01-premiers-pas/03-liens.md:6:1",
            "missing-anchor content/01-premiers-pas/03-liens.md:6:20",
            "missing-image content/01-premiers-pas/03-liens.md:8:1",
            "quiz-single-correct-count content/01-premiers-pas/04-quiz.md:11:5",
            "unknown-directive content/01-premiers-pas/04-quiz.md:18:1",
            "duplicate-id content/01-premiers-pas/05-doublon.md:6:1",
        ]
    );
}

#[test]
fn unknown_book_toml_key_is_an_error_with_a_hint() {
    let mut inputs = inputs(&[]);
    inputs.book_toml.push_str("\n[course2]\n");
    inputs.book_toml = inputs.book_toml.replace("organisation =", "organisaton =");
    let result = compile(inputs);
    assert_eq!(located(&result), ["config-unknown-key book.toml:4:1"]);
    assert_eq!(
        result.diagnostics[0].help.as_deref(),
        Some("did you mean `organisation`?")
    );
}

#[test]
fn template_errors_point_at_the_theme_file() {
    let mut inputs = inputs(&[]);
    let page = inputs
        .theme
        .iter_mut()
        .find(|f| f.path == "templates/page.html")
        .unwrap();
    page.display = "themes/default/templates/page.html".into();
    page.bytes =
        b"{% extends \"base.html\" %}\n{% block main %}\n{{ page.title }\n{% endblock main %}\n"
            .to_vec();
    let result = compile(inputs);
    let codes = located(&result);
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(
        codes[0].starts_with("template-syntax themes/default/templates/page.html:3:"),
        "{codes:?}"
    );
}
