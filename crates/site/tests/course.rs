//! The bundled course's shape (issue #6): the five parts of the training programme, every line
//! of the programme as a page or a heading, a quiz ending each part, the positioning test, the
//! final evaluation, the glossary and the simulator exercises.

use std::collections::BTreeMap;

use crate::support::*;

/// `(output folder of the part, programme lines)`; each line must be found, accents and case
/// folded, in a page title or heading of that part.
const PROGRAMME: &[(&str, &[&str])] = &[
    (
        "vocabulaire",
        &[
            "generalites",
            "echeancier",
            "modes d'acces",
            "gestionnaire principal et autres utilisateurs",
            "utilisateur 1",
            "utilisateurs suivants",
            "demande de rattachement",
            "gerer sa ou ses structures",
            "gerer les espaces",
            "creer des services",
            "structure, services, espaces et utilisateurs : les liens",
        ],
    ),
    (
        "compte-structure",
        &[
            "creer son compte",
            "adresses de messagerie",
            "mot de passe",
            "questions secretes",
            "activer",
            "demandes de rattachement",
            "activites du gestionnaire principal",
            "coordonnees bancaires",
            "gerer les espaces pour l'ensemble de la structure",
            "creer (eventuellement) des services",
            "gerer les espaces pour les services",
            "gerer les rattachements aux services",
        ],
    ),
    (
        "factures-emises",
        &[
            "cadres de facturation",
            "champs a remplir",
            "siret",
            "code service",
            "numero d'engagement",
            "montants",
            "s'entrainer a deposer",
            "sous-traitants et cotraitants",
        ],
    ),
    (
        "factures-travaux",
        &[
            "cadres de facturation des travaux",
            "maitre d'ouvrage et maitre d'oeuvre",
            "s'entrainer a deposer",
            "sous-traitants et cotraitants",
            "maitres d'oeuvre : deposer un etat d'acompte a partir d'une facture travaux",
        ],
    ),
    (
        "aide-sollicitation",
        &["claudia", "agent", "saisir une sollicitation"],
    ),
];

/// Exercises the simulator issues require, by id.
const EXERCISES: &[&str] = &[
    "ex-creer-compte",
    "ex-creer-structure",
    "ex-rattachement",
    "ex-service",
    "ex-espace",
    "ex-coordonnees-bancaires",
];

#[test]
fn bundled_course_covers_the_training_programme() {
    let files = build_ok(&repo_root());
    let mut headings: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (path, bytes) in &files {
        let Some((folder, _)) = path.split_once('/') else {
            continue;
        };
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let main = &html[html.find("<main").unwrap_or(0)..];
        for level in ["<h1", "<h2", "<h3"] {
            for (i, _) in main.match_indices(level) {
                let text =
                    strip(&main[i..main[i..].find("</h").map(|e| i + e).unwrap_or(main.len())]);
                headings.entry(folder).or_default().push(fold(&text));
            }
        }
    }
    for (part, lines) in PROGRAMME {
        let found = headings
            .get(part)
            .unwrap_or_else(|| panic!("part `{part}` is missing"));
        for line in *lines {
            assert!(
                found.iter().any(|h| h.contains(&fold(line))),
                "programme line « {line} » has no page or heading in part `{part}`:\n{found:#?}"
            );
        }
    }
}

#[test]
fn bundled_course_has_its_quizzes_tests_glossary_and_exercises() {
    let files = build_ok(&repo_root());
    let html = |path: &str| {
        String::from_utf8_lossy(files.get(path).unwrap_or_else(|| panic!("{path} missing")))
            .to_string()
    };
    // A quiz ends each part.
    for (part, _) in PROGRAMME {
        let last = files
            .keys()
            .filter(|p| {
                p.starts_with(&format!("{part}/"))
                    && p.ends_with(".html")
                    && !p.ends_with("index.html")
            })
            .max_by_key(|p| {
                // Reading order follows the module page's list.
                let module = html(&format!("{part}/index.html"));
                let name = p.rsplit('/').next().unwrap().to_string();
                module
                    .find(&format!("href=\"../{part}/{name}\""))
                    .unwrap_or(0)
            });
        let last = last.unwrap_or_else(|| panic!("part {part} has no page"));
        let page = html(last);
        assert!(
            page.contains("data-quiz-id=\""),
            "the last page of part {part} ({last}) has no quiz"
        );
        let questions = page.matches("data-question=\"").count();
        assert!(
            questions >= 6,
            "the quiz ending part {part} has {questions} questions, fewer than 6"
        );
        let types: std::collections::BTreeSet<&str> = page
            .match_indices("data-type=\"")
            .map(|(i, m)| page[i + m.len()..].split('"').next().unwrap())
            .collect();
        assert!(
            types.len() >= 3,
            "the quiz ending part {part} uses only {types:?}"
        );
    }
    let positioning = html("positionnement.html");
    assert!(
        positioning.contains("data-quiz-id=\""),
        "no positioning test"
    );
    let final_evaluation = html("evaluation-finale.html");
    assert!(
        final_evaluation.contains("data-mode=\"exam\""),
        "the final evaluation is not in exam mode"
    );
    assert!(
        final_evaluation.contains("70 %"),
        "the final evaluation's page does not state its pass mark"
    );
    let glossary = html("glossaire.html");
    assert!(
        glossary.matches("<h3").count() >= 30,
        "the glossary is too short"
    );
    let all: String = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .collect();
    for exercise in EXERCISES {
        assert!(
            all.contains(&format!("data-exercise-id=\"{exercise}\"")),
            "exercise {exercise} is missing"
        );
    }
}

fn strip(html: &str) -> String {
    let mut res = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => res.push(c),
            _ => {}
        }
    }
    res
}

fn fold(text: &str) -> String {
    text.to_lowercase()
        .replace(['é', 'è', 'ê', 'ë'], "e")
        .replace(['à', 'â'], "a")
        .replace(['î', 'ï'], "i")
        .replace('ô', "o")
        .replace(['ù', 'û'], "u")
        .replace('ç', "c")
        .replace('œ', "oe")
        .replace(['’', 'ʼ'], "'")
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace("&#39;", "'")
}
