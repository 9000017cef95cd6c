//! The walking skeleton end to end (issue #2): the bundled course opens from file://, the
//! sidebar and previous/next links navigate, and a single-choice quiz question is graded by
//! the wasm runtime and kept after a reload. In Chromium and in Firefox.

use crate::harness::{bundled_site, file_url, run, Session, BROWSERS};

/// A single-choice question of the bundled course (part I's quiz).
const PAGE: &str = "vocabulaire/quiz.html";
const QUESTION: &str = "[data-question=\"p1-qui-doit\"]";

#[test]
fn bundled_course_navigates_and_grades_a_question_from_file_urls() {
    let site = bundled_site();
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;

            // Home page: title, objectives, update date.
            session.open(&file_url(site, "index.html")).await;
            session
                .wait_text("main h1", "Déposer ses factures dans Chorus Pro")
                .await;
            session.wait_text("main", "Date de mise à jour").await;
            let lang = session
                .client
                .execute("return document.documentElement.lang", vec![])
                .await
                .unwrap();
            assert_eq!(lang, "fr");

            // Sidebar: open part I, the current page is marked.
            session
                .click("#sidebar a[data-page=\"vocabulaire/index.html\"]")
                .await;
            session.wait_runtime().await;
            assert_eq!(session.current_path(site).await, "vocabulaire/index.html");
            session
                .wait_text("#sidebar [aria-current=\"page\"]", "Vocabulaire")
                .await;

            // Next, next, previous.
            session.click("a[rel=\"next\"]").await;
            session.wait_runtime().await;
            assert_eq!(
                session.current_path(site).await,
                "vocabulaire/generalites.html"
            );
            session.click("a[rel=\"next\"]").await;
            session.wait_runtime().await;
            assert_eq!(
                session.current_path(site).await,
                "vocabulaire/echeancier.html"
            );
            session.click("a[rel=\"prev\"]").await;
            session.wait_runtime().await;
            assert_eq!(
                session.current_path(site).await,
                "vocabulaire/generalites.html"
            );
            session.wait_text(".breadcrumbs", "Accueil").await;

            // The page's HTML holds its own module only; assets/nav.js adds the others, in
            // order, around it, and the current page stays marked.
            let sidebar = session
                .client
                .execute(
                    "return Array.from(document.querySelectorAll('#sidebar .nav-list > li > a'))\
                     .map(a => a.getAttribute('data-page') + (a.hasAttribute('aria-current') ? '*' : ''))",
                    vec![],
                )
                .await
                .unwrap();
            let top: Vec<&str> = sidebar
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(
                &top[..3],
                [
                    "positionnement.html",
                    "vocabulaire/index.html",
                    "compte-structure/index.html"
                ],
                "{browser:?}: every top-level entry, in order"
            );
            assert_eq!(top.last(), Some(&"glossaire.html"), "{browser:?}: {top:?}");
            let marked = session
                .client
                .execute(
                    "return document.querySelector('#sidebar [aria-current=\"page\"]').getAttribute('data-page')",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(marked, "vocabulaire/generalites.html");

            // The quiz question: wrong, then right.
            session.open(&file_url(site, PAGE)).await;
            session
                .click(&format!("{QUESTION} input[value=\"1\"]"))
                .await;
            session
                .click(&format!("{QUESTION} [data-action=\"check\"]"))
                .await;
            session
                .wait_text(
                    &format!("{QUESTION} [data-feedback]"),
                    "Non. Les PME étaient concernées dès 2019",
                )
                .await;
            session
                .click(&format!("{QUESTION} [data-action=\"retry\"]"))
                .await;
            session
                .click(&format!("{QUESTION} input[value=\"0\"]"))
                .await;
            session
                .click(&format!("{QUESTION} [data-action=\"check\"]"))
                .await;
            let feedback = session
                .wait_text(&format!("{QUESTION} [data-feedback]"), "Exact.")
                .await;
            assert!(
                feedback.contains("Bonne réponse") || feedback.contains("Exact"),
                "{feedback}"
            );

            // Reload: the answer is kept.
            session.client.refresh().await.unwrap();
            session.wait_runtime().await;
            session
                .wait_text(&format!("{QUESTION} [data-feedback]"), "Exact.")
                .await;
            let checked = session
                .client
                .execute(
                    &format!(
                        "return document.querySelector('{} input[value=\"0\"]').checked",
                        QUESTION.replace('\'', "\\'")
                    ),
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                checked, true,
                "{browser:?}: the chosen answer was not restored"
            );

            session.finish().await;
        });
    }
}
