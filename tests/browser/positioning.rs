//! The positioning test (issue #6): once every question is answered, the learner sees their
//! score per objective and where to focus, in both browsers.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::harness::{build_course, file_url, repo_root, run, Session, BROWSERS};

fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_course(&repo_root().join("tests/fixtures/quiz-types")))
}

const QUIZ: &str = "#quiz-quiz-positionnement";

#[test]
fn positioning_test_gives_a_score_and_advice_per_objective() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            session.open(&file_url(site(), "positionnement.html")).await;
            let hidden = session
                .client
                .execute(
                    &format!("return document.querySelector('{QUIZ} [data-positioning]').hidden"),
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                hidden, true,
                "{browser:?}: advice shown before the test is done"
            );

            // Right on « lire », wrong on « déposer ».
            session
                .click(&format!(
                    "{QUIZ} [data-question=\"pos-lire\"] input[value=\"0\"]"
                ))
                .await;
            session
                .click(&format!(
                    "{QUIZ} [data-question=\"pos-lire\"] [data-action=\"check\"]"
                ))
                .await;
            session
                .click(&format!(
                    "{QUIZ} [data-question=\"pos-deposer\"] input[value=\"true\"]"
                ))
                .await;
            session
                .click(&format!(
                    "{QUIZ} [data-question=\"pos-deposer\"] [data-action=\"check\"]"
                ))
                .await;

            let lire = session
                .wait_text(
                    &format!("{QUIZ} li[data-objective=\"lire\"]"),
                    "1 bonne réponse sur 1",
                )
                .await;
            assert!(lire.contains("Plutôt acquis"), "{browser:?}: {lire}");
            let deposer = session
                .wait_text(
                    &format!("{QUIZ} li[data-objective=\"deposer\"]"),
                    "0 bonne réponse sur 1",
                )
                .await;
            assert!(
                deposer.contains("À travailler en priorité"),
                "{browser:?}: {deposer}"
            );

            // Kept after a reload.
            session.client.refresh().await.unwrap();
            session.wait_runtime().await;
            session
                .wait_text(
                    &format!("{QUIZ} li[data-objective=\"deposer\"]"),
                    "À travailler en priorité",
                )
                .await;
            session.finish().await;
        });
    }
}
