//! The learner's experience on the bundled course, from file://: search, saved progress
//! across pages and browser restarts (through the storage hub, which Firefox's one-origin-per-
//! file rule makes necessary), export and import, accessibility (axe-core, keyboard only) and
//! layout at 360 and 1 280 px.
//!
//! axe-core comes from the npm registry, installed (not committed) with
//! `npm install --no-save --prefix tests/browser axe-core@4.14.1`, or found at `$DIDACT_AXE`.

use std::path::{Path, PathBuf};

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

use crate::harness::{bundled_site, file_url, repo_root, run, Browser, Session, BROWSERS};

/// A page of part I and its practice quiz (first question: single choice).
const READ_PAGE: &str = "vocabulaire/generalites.html";
const QUIZ_PAGE: &str = "vocabulaire/quiz.html";
/// Another page of part I.
const ECHEANCIER: &str = "vocabulaire/echeancier.html";
const QUESTION: &str = "[data-question=\"p1-qui-doit\"]";
/// Every question type but short text, practice mode.
const ALL_TYPES_PAGE: &str = "factures-emises/quiz.html";
/// Short text questions.
const SHORT_TEXT_PAGE: &str = "factures-travaux/quiz.html";
/// The exam.
const EXAM_PAGE: &str = "evaluation-finale.html";
/// How many Tabs may separate two controls of a page.
const TABS: usize = 250;
/// A simulator exercise.
const SIM_PAGE: &str = "compte-structure/creer-compte.html";

#[test]
fn search_finds_accented_unaccented_singular_and_plural_forms_and_opens_the_result() {
    let site = bundled_site();
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            session.open(&file_url(site, "index.html")).await;
            let learner = Learner { session: &session };

            for query in ["echeancier", "Échéanciers", "ECHEANCIER de l'obligation"] {
                learner.search(query).await;
                let first = session.js("return document.querySelector('[data-search-results] a').getAttribute('href')").await;
                assert!(
                    first
                        .as_str()
                        .unwrap_or("")
                        .starts_with("vocabulaire/echeancier.html"),
                    "{browser:?} {query}: first hit {first}"
                );
                let marked = session.js("return Array.from(document.querySelectorAll('[data-search-results] li:first-child mark')).map(m => m.textContent.toLowerCase())").await;
                assert!(
                    marked
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m.as_str().unwrap().starts_with("échéancier")),
                    "{browser:?} {query}: highlighted {marked}"
                );
            }
            // Singular and plural, with and without accents, find the same pages.
            let facture = learner.hits("facture").await;
            let factures = learner.hits("factures").await;
            assert!(
                !facture.is_empty() && facture == factures,
                "{browser:?}: {facture:?} / {factures:?}"
            );
            learner.search("zzzqqq").await;
            session
                .wait_text("[data-search-status]", "Aucun résultat pour « zzzqqq »")
                .await;

            // Keyboard: arrow down to the first result, Enter opens it at its section.
            learner.search("échéancier").await;
            session.keys(&[Key::Down]).await;
            let focused = session
                .js("return document.activeElement.closest('[data-search-results]') !== null")
                .await;
            assert_eq!(
                focused, true,
                "{browser:?}: arrow down did not reach the results"
            );
            session.keys(&[Key::Enter]).await;
            session
                .wait_value(
                    "return location.pathname.endsWith('/vocabulaire/echeancier.html')",
                    |v| v == &json!(true),
                )
                .await;
            session.wait_runtime().await;
            session.finish().await;
        });
    }
}

#[test]
fn progress_is_shared_by_pages_kept_after_a_restart_and_moves_by_export_and_import() {
    let site = bundled_site();
    for browser in BROWSERS {
        run(async {
            // Page A: read it, answer a quiz question, choose the dark theme.
            let session = Session::start(browser).await;
            let profile = session.profile_for_restart();
            session.open(&file_url(site, READ_PAGE)).await;
            let learner = Learner { session: &session };
            learner.click("[data-theme-toggle]").await;
            session.open(&file_url(site, QUIZ_PAGE)).await;
            learner.click(&format!("{QUESTION} input")).await;
            learner
                .click(&format!("{QUESTION} [data-action=\"check\"]"))
                .await;
            session.wait_value(&format!("return document.querySelector('{QUESTION} [data-feedback]').textContent.trim().length"), |v| v.as_u64().unwrap_or(0) > 0).await;

            // Pages B and C (other files, hence other storages in Firefox) see all of it.
            session.open(&file_url(site, ECHEANCIER)).await;
            session
                .wait_text(
                    "#sidebar a[data-page=\"vocabulaire/generalites.html\"]",
                    "(lue)",
                )
                .await;
            session.open(&file_url(site, "progression.html")).await;
            learner.expect_progress(browser).await;
            session.finish().await;

            // The same profile after a restart.
            let session = Session::start_with_profile(browser, profile).await;
            let learner = Learner { session: &session };
            session.open(&file_url(site, "progression.html")).await;
            learner.expect_progress(browser).await;
            let exported = learner.export().await;
            let exported_doc: Value = serde_json::from_str(&exported).expect("the export is JSON");
            assert_eq!(exported_doc["format"], "didact-progress");
            finish_after_download(session).await;

            // A fresh profile: a broken file is refused and changes nothing; the export
            // restores everything.
            let dir = tempfile::tempdir().expect("temp dir");
            let session = Session::start(browser).await;
            let learner = Learner { session: &session };
            session.open(&file_url(site, "progression.html")).await;
            let foreign = dir.path().join("facture.json");
            std::fs::write(&foreign, r#"{"invoice": 12}"#).unwrap();
            learner.import(&foreign).await;
            session.wait_text("[data-progress-error]", "Import impossible : Ce fichier n’est pas une sauvegarde de progression de ce site.").await;
            let invalid = session.js("return document.getElementById('progress-import-file').getAttribute('aria-invalid')").await;
            assert_eq!(invalid, "true");
            session.wait_text("[data-progress-item=\"page\"][data-id=\"vocabulaire/generalites\"] [data-progress-status]", "Non lue").await;
            let file = dir.path().join("progression.json");
            std::fs::write(&file, &exported).unwrap();
            learner.import(&file).await;
            session
                .wait_text("[data-progress-message]", "a été importée")
                .await;
            learner.expect_progress(browser).await;
            // Another page of the fresh profile has it too, and the document is the same.
            session.open(&file_url(site, ECHEANCIER)).await;
            session
                .wait_text(
                    "#sidebar a[data-page=\"vocabulaire/generalites.html\"]",
                    "(lue)",
                )
                .await;
            session.open(&file_url(site, "progression.html")).await;
            let again: Value = serde_json::from_str(&learner.export().await).unwrap();
            let entries = |doc: &Value| {
                let mut entries = doc["entries"].as_object().unwrap().clone();
                // Pages visited in this profile after the import are new reads.
                entries.retain(|name, _| {
                    !name.starts_with("read:") || exported_doc["entries"].get(name).is_some()
                });
                entries
            };
            assert_eq!(
                entries(&again),
                entries(&exported_doc),
                "{browser:?}: import did not restore the export exactly"
            );

            // « Réinitialiser », after confirmation, empties it everywhere.
            learner.click("[data-progress-reset-ask]").await;
            learner.click("[data-progress-reset]").await;
            session
                .wait_text("[data-progress-message]", "effacée")
                .await;
            session.wait_text("[data-progress-item=\"quiz\"][data-id=\"quiz-p1-vocabulaire\"] [data-progress-status]", "Non commencé").await;
            session.open(&file_url(site, READ_PAGE)).await;
            session.open(&file_url(site, ECHEANCIER)).await;
            let marks = session.js("return Array.from(document.querySelectorAll('#sidebar .nav-read')).map(m => m.parentNode.getAttribute('data-page'))").await;
            assert_eq!(
                marks,
                json!([
                    "vocabulaire/generalites.html",
                    "vocabulaire/echeancier.html"
                ]),
                "{browser:?}: only the pages read after the reset are marked"
            );
            finish_after_download(session).await;
        });
    }
}

#[test]
fn axe_finds_no_violation_on_any_page_type_in_both_themes() {
    let site = bundled_site();
    let axe = axe_script();
    run(async {
        let session = Session::start(Browser::Chromium).await;
        let learner = Learner { session: &session };
        let pages = [
            "index.html",
            READ_PAGE,
            "vocabulaire/index.html",
            QUIZ_PAGE,
            ALL_TYPES_PAGE,
            SHORT_TEXT_PAGE,
            EXAM_PAGE,
            SIM_PAGE,
            "progression.html",
            "imprimer.html",
            "accessibilite.html",
            "glossaire.html",
            "compte-structure/gestionnaire-principal.html",
            "404.html",
        ];
        let mut problems = Vec::new();
        for theme in ["light", "dark"] {
            for page in pages {
                session.open(&file_url(site, page)).await;
                session.js(&format!("document.documentElement.setAttribute('data-theme', '{theme}'); return null")).await;
                problems.extend(learner.axe(&axe, &format!("{page} ({theme})")).await);
            }
            // Search results open, and a graded quiz question.
            session.open(&file_url(site, QUIZ_PAGE)).await;
            session
                .js(&format!(
                    "document.documentElement.setAttribute('data-theme', '{theme}'); return null"
                ))
                .await;
            if theme == "light" {
                learner.click(&format!("{QUESTION} input")).await;
                learner
                    .click(&format!("{QUESTION} [data-action=\"check\"]"))
                    .await;
            }
            learner.search("facture").await;
            problems.extend(
                learner
                    .axe(
                        &axe,
                        &format!("search results and graded question ({theme})"),
                    )
                    .await,
            );
        }
        assert!(
            problems.is_empty(),
            "axe-core violations:\n{}",
            problems.join("\n")
        );
        session.finish().await;
    });
}

#[test]
fn the_course_can_be_followed_with_the_keyboard_only() {
    let site = bundled_site();
    run(async {
        let session = Session::start(Browser::Chromium).await;
        let learner = Learner { session: &session };
        session.open(&file_url(site, "index.html")).await;

        // The first Tab reaches the skip link, which moves the focus to the content.
        session.keys(&[Key::Tab]).await;
        assert_eq!(
            session
                .js("return document.activeElement.textContent")
                .await,
            "Aller au contenu"
        );
        session.keys(&[Key::Enter]).await;
        assert_eq!(
            session.js("return document.activeElement.id").await,
            "contenu"
        );

        // The programme's links lead into the course; then « Suivant » from page to page.
        learner
            .activate("main a[href=\"vocabulaire/index.html\"]")
            .await;
        session
            .wait_value(
                "return location.pathname.endsWith('/vocabulaire/index.html')",
                |v| v == &json!(true),
            )
            .await;
        session.wait_runtime().await;
        learner.activate("a[rel=\"next\"]").await;
        session
            .wait_value(
                "return location.pathname.endsWith('/vocabulaire/generalites.html')",
                |v| v == &json!(true),
            )
            .await;
        session.wait_runtime().await;

        // The sidebar collapses and opens again from its button.
        learner.activate("[data-sidebar-toggle]").await;
        assert_eq!(
            session
                .js("return getComputedStyle(document.getElementById('sidebar')).display")
                .await,
            "none"
        );
        assert_eq!(
            session
                .js("return document.activeElement.getAttribute('aria-expanded')")
                .await,
            "false"
        );
        session.keys(&[Key::Enter]).await;
        assert_eq!(
            session
                .js("return document.activeElement.getAttribute('aria-expanded')")
                .await,
            "true"
        );

        // Search by keyboard: type, arrow down, Enter.
        session.tab_to("#recherche", TABS).await;
        session.type_text("quiz partie").await;
        session
            .wait_value(
                "return document.querySelectorAll('[data-search-results] a').length",
                |v| v.as_u64().unwrap_or(0) > 0,
            )
            .await;
        session.keys(&[Key::Down]).await;
        let target = session
            .js("return document.activeElement.href.split('#')[0]")
            .await;
        session.keys(&[Key::Enter]).await;
        session
            .wait_value(
                &format!("return location.href.split('#')[0] === {target}"),
                |v| v == &json!(true),
            )
            .await;
        session.wait_runtime().await;

        // A quiz question: Tab to the first choice, Space picks it, Tab to « Valider », Enter.
        session.open(&file_url(site, QUIZ_PAGE)).await;
        session.tab_to(&format!("{QUESTION} input"), TABS).await;
        session.keys(&[Key::Space]).await;
        learner
            .activate(&format!("{QUESTION} [data-action=\"check\"]"))
            .await;
        session.wait_value(&format!("return document.querySelector('{QUESTION} [data-feedback]').textContent.trim().length"), |v| v.as_u64().unwrap_or(0) > 0).await;

        // Theme and text size from the header.
        learner.activate("[data-theme-toggle]").await;
        assert_eq!(
            session
                .js("return document.documentElement.getAttribute('data-theme')")
                .await,
            "dark"
        );
        learner.activate("[data-text-size=\"1\"]").await;
        assert_eq!(
            session
                .js("return document.documentElement.style.getPropertyValue('--size')")
                .await,
            "1.125rem"
        );

        // « Ma progression » shows it; the reset asks first and Escape-free buttons cancel.
        learner.activate(".progress-link").await;
        session
            .wait_value(
                "return location.pathname.endsWith('/progression.html')",
                |v| v == &json!(true),
            )
            .await;
        session.wait_runtime().await;
        session.wait_text("[data-progress-item=\"quiz\"][data-id=\"quiz-p1-vocabulaire\"] [data-progress-status]", "En cours").await;
        learner.activate("[data-progress-reset-ask]").await;
        assert_eq!(
            session
                .js("return document.activeElement.matches('[data-progress-reset]')")
                .await,
            true
        );
        learner.activate("[data-progress-reset-cancel]").await;
        assert_eq!(
            session
                .js("return document.activeElement.matches('[data-progress-reset-ask]')")
                .await,
            true
        );
        session.wait_text("[data-progress-item=\"quiz\"][data-id=\"quiz-p1-vocabulaire\"] [data-progress-status]", "En cours").await;

        // The simulator page's controls are reachable too.
        session.open(&file_url(site, SIM_PAGE)).await;
        session
            .tab_to(
                "[data-exercise] button, [data-exercise] input, [data-exercise] a",
                TABS,
            )
            .await;
        session.finish().await;
    });
}

#[test]
fn nothing_overflows_horizontally_at_360_and_1280_pixels() {
    let site = bundled_site();
    let shots = std::env::temp_dir().join("didact-layout-shots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    run(async {
        let session = Session::start(Browser::Chromium).await;
        let learner = Learner { session: &session };
        let mut problems = Vec::new();
        for width in [360u32, 1280] {
            session
                .client
                .set_window_size(width, 900)
                .await
                .expect("resize");
            for page in [
                "index.html",
                READ_PAGE,
                ALL_TYPES_PAGE,
                SIM_PAGE,
                "progression.html",
                "imprimer.html",
                "glossaire.html",
            ] {
                session.open(&file_url(site, page)).await;
                learner.search("facture").await;
                let png = session.client.screenshot().await.expect("screenshot");
                let name = format!("{width}-{}.png", page.replace('/', "-"));
                std::fs::write(shots.join(&name), &png).expect("save screenshot");
                let width_px = png_width(&png);
                let overflow = session.js("var d = document.documentElement; return [d.scrollWidth, d.clientWidth, Array.from(document.querySelectorAll('body *')).filter(e => { var r = e.getBoundingClientRect(); return r.width > 0 && r.right > d.clientWidth + 1 && getComputedStyle(e).position !== 'absolute' && !e.closest('.skip-link, .storage-hub, table, pre'); }).slice(0, 3).map(e => e.tagName + '.' + e.className)]")
                    .await;
                let (scroll, client) =
                    (overflow[0].as_u64().unwrap(), overflow[1].as_u64().unwrap());
                if scroll > client || !overflow[2].as_array().unwrap().is_empty() {
                    problems.push(format!("{page} at {width} px (screenshot {width_px} px wide): scrollWidth {scroll} > {client}, overflowing {}", overflow[2]));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "horizontal overflow (screenshots in {}):\n{}",
            shots.display(),
            problems.join("\n")
        );
        session.finish().await;
    });
}

/// The learner's hands: clicks, keys, search, the progress page.
struct Learner<'a> {
    session: &'a Session,
}

impl Learner<'_> {
    async fn click(&self, css: &str) {
        self.session.click(css).await;
    }

    /// Tabs to the element matching `css` and presses Enter on it.
    async fn activate(&self, css: &str) {
        self.session.tab_to(css, TABS).await;
        self.session.keys(&[Key::Enter]).await;
    }

    /// Types `query` in the search box and waits for the status line to answer it.
    async fn search(&self, query: &str) {
        let input = self
            .session
            .client
            .find(Locator::Css("#recherche"))
            .await
            .expect("search box");
        input.click().await.expect("focus the search box");
        input.clear().await.expect("clear the search box");
        input.send_keys(query).await.expect("type a query");
        let expected = format!("« {} »", query.trim());
        self.session
            .wait_text("[data-search-status]", &expected)
            .await;
    }

    /// The result URLs for `query`.
    async fn hits(&self, query: &str) -> Vec<String> {
        self.search(query).await;
        let hrefs = self.session.js("return Array.from(document.querySelectorAll('[data-search-results] a')).map(a => a.getAttribute('href').split('#')[0])").await;
        let mut res: Vec<String> = hrefs
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        res.sort();
        res
    }

    /// On « Ma progression »: page A read, the quiz started, the theme kept.
    async fn expect_progress(&self, browser: Browser) {
        let status = |kind: &str, id: &str| {
            format!("[data-progress-item=\"{kind}\"][data-id=\"{id}\"] [data-progress-status]")
        };
        self.session
            .wait_text(&status("page", "vocabulaire/generalites"), "Lue")
            .await;
        self.session
            .wait_text(&status("quiz", "quiz-p1-vocabulaire"), "En cours")
            .await;
        self.session
            .wait_text("[data-progress-course]", "page")
            .await;
        let theme = self
            .session
            .js("return document.documentElement.getAttribute('data-theme')")
            .await;
        assert_eq!(theme, "dark", "{browser:?}: the theme choice was not kept");
    }

    /// Clicks « Exporter » and returns the file's text (the download's blob, captured).
    async fn export(&self) -> String {
        self.session.js("window.__exported = null; var create = URL.createObjectURL; URL.createObjectURL = function (blob) { blob.text().then(function (t) { window.__exported = t; }); return create.call(URL, blob); }; return null").await;
        self.click("[data-progress-export]").await;
        let text = self
            .session
            .wait_value("return window.__exported", Value::is_string)
            .await;
        self.session
            .wait_text("[data-progress-message]", "exportée")
            .await;
        text.as_str().unwrap().to_owned()
    }

    async fn import(&self, file: &Path) {
        let input = self
            .session
            .client
            .find(Locator::Css("#progress-import-file"))
            .await
            .expect("file input");
        input
            .send_keys(&file.display().to_string())
            .await
            .expect("choose a file");
    }

    /// Runs axe-core (WCAG 2.x A and AA rules) and returns one line per violation.
    async fn axe(&self, axe: &str, label: &str) -> Vec<String> {
        let injected = self.session.js("return typeof window.axe").await;
        if injected != "object" {
            self.session
                .client
                .execute(&format!("{axe}\nreturn null"), vec![])
                .await
                .expect("inject axe-core");
        }
        let result = self
            .session
            .client
            .execute_async(
                &(String::new() + "var done = arguments[arguments.length - 1];\
                 axe.run(document, {iframes: false, preload: false, runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})\
                   .then(function (r) { done(r.violations.map(function (v) { return v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(' | '); })); })\
                   .catch(function (e) { done(['axe failed: ' + e]); });"),
                vec![],
            )
            .await
            .expect("run axe-core");
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|v| format!("{label}: {}", v.as_str().unwrap()))
            .collect()
    }
}

/// Ends a session that downloaded a file. Firefox's download code asks its remote settings
/// service for lists, which fails on this closed network and logs an error of Firefox's own
/// (`resource://services-settings/…`) under the page's console prefix; every other error
/// still fails the test.
async fn finish_after_download(session: Session) {
    let browser = session.browser;
    let errors: Vec<String> = session
        .finish_collecting()
        .await
        .into_iter()
        .filter(|error| !error.contains("resource://services-settings/"))
        .collect();
    assert!(
        errors.is_empty(),
        "{browser:?} console errors:\n{}",
        errors.join("\n")
    );
}

/// axe-core's script, installed from the npm registry.
fn axe_script() -> String {
    let path = std::env::var_os("DIDACT_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("tests/browser/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("axe-core not found at {} ({e}). Install it with: npm install --no-save --prefix tests/browser axe-core@4.14.1 (or run .ci/run)", path.display())
    })
}

/// Width of a PNG image from its header.
fn png_width(png: &[u8]) -> u32 {
    u32::from_be_bytes(png[16..20].try_into().expect("a PNG header"))
}
