//! The browser setup really enforces file:// rules: an ES-module page must not run from
//! file:// in either browser. If this ever passes, the suite can no longer catch a regression
//! to module scripts or fetch() (geckodriver relaxes file:// unless the profile says otherwise).

use std::fs;

use crate::harness::{file_url, run, Browser, Session, BROWSERS};

#[test]
fn es_module_pages_are_blocked_from_file_urls() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><html><body><p id=\"out\">classic</p>\
         <script type=\"module\" src=\"module.js\"></script>\
         <script>fetch('data.json').then(function () { document.getElementById('fetch').textContent = 'fetched'; }, function () {});</script>\
         <p id=\"fetch\">no fetch</p></body></html>",
    )
    .unwrap();
    fs::write(
        dir.path().join("module.js"),
        "document.getElementById('out').textContent = 'module ran';",
    )
    .unwrap();
    fs::write(dir.path().join("data.json"), "{}").unwrap();
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            session.goto(&file_url(dir.path(), "index.html")).await;
            tokio::time::sleep(std::time::Duration::from_millis(800)).await;
            let out = session
                .client
                .execute("return document.getElementById('out').textContent", vec![])
                .await
                .unwrap();
            let fetched = session
                .client
                .execute(
                    "return document.getElementById('fetch').textContent",
                    vec![],
                )
                .await
                .unwrap();
            // Errors are expected here (the blocked loads): collect them instead of failing.
            let _ = session.finish_collecting().await;
            assert_eq!(out, "classic", "{browser:?} ran an ES module from file://: the profile does not enforce the real file:// rules");
            assert_eq!(
                fetched, "no fetch",
                "{browser:?} allowed fetch() from file://"
            );
        });
    }
    let _ = Browser::Chromium;
}
