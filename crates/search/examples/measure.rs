//! Measures the index on a generated French corpus: size (raw, gzipped via the `gzip`
//! command when present), build, load and query times, excerpt-store coverage.
//!
//! Run: `cargo run --release -p didact-search --example measure [n_pages] [words_per_page]
//! [stored_chars]` (defaults: 1000 pages of about 900 words, the default `IndexOptions`).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use didact_search::{
    build_index_with, index_script, tokens, DocKind, Document, Index, IndexOptions, Section,
};

/// Frequent real words, so queries have realistic targets.
const COMMON: &[&str] = &[
    "facture",
    "factures",
    "facturé",
    "facturation",
    "fournisseur",
    "fournisseurs",
    "structure",
    "structures",
    "service",
    "services",
    "dépôt",
    "déposer",
    "dépose",
    "compte",
    "comptes",
    "utilisateur",
    "gestionnaire",
    "principal",
    "portail",
    "Chorus",
    "Pro",
    "cadre",
    "A1",
    "A9",
    "A12",
    "mémoire",
    "travaux",
    "sous-traitant",
    "cotraitant",
    "validation",
    "valider",
    "rejet",
    "rejetée",
    "suspendue",
    "mise",
    "paiement",
    "mandat",
    "mandaté",
    "comptable",
    "public",
    "publique",
    "entité",
    "entreprise",
    "l’entreprise",
    "d’un",
    "d’une",
    "l’utilisateur",
    "qu’il",
    "SIRET",
    "numéro",
    "engagement",
    "juridique",
    "bon",
    "commande",
    "montant",
    "TVA",
    "hors",
    "taxes",
    "toutes",
    "pièce",
    "jointe",
    "format",
    "PDF",
    "Factur-X",
    "UBL",
    "flux",
    "EDI",
    "API",
    "saisie",
    "formulaire",
    "ligne",
    "lignes",
    "quantité",
    "prix",
    "unitaire",
    "équipement",
    "sécurité",
    "habilitation",
    "rattachement",
    "demande",
    "délai",
    "jours",
    "statut",
    "suivi",
    "recherche",
    "tableau",
    "bord",
    "notification",
    "courriel",
    "adresse",
    "destinataire",
    "émetteur",
    "référence",
    "avoir",
    "acompte",
    "situation",
    "décompte",
    "final",
    "marché",
    "contrat",
    "sélectionner",
    "cliquer",
    "bouton",
    "onglet",
    "menu",
    "écran",
    "champ",
    "obligatoire",
    "facultatif",
];

const FILLER: &[&str] = &[
    "le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "dans", "pour", "par", "sur",
    "avec", "qui", "que", "en", "au", "aux", "ce", "cette", "il", "elle", "vous",
];

const SYLLABLES: &[&str] = &[
    "ba", "cho", "di", "fa", "ge", "ju", "la", "mé", "no", "pa", "ré", "si", "to", "vu", "ca",
    "dé", "fi", "gra", "lu", "mo", "pré", "qua", "ri", "sé", "tra", "vi", "con", "pro",
];

const SUFFIXES: &[&str] = &[
    "", "s", "tion", "tions", "ment", "ments", "er", "é", "ée", "és", "ité", "ique", "eur", "euse",
    "age", "ance",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A Zipf-like rank in 0..n (rank r has probability about 1 / (r + 1)).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64).ln() * u).exp() as usize)
            .saturating_sub(1)
            .min(n - 1)
    }
}

fn synthetic_word(rank: usize) -> String {
    let mut word = String::new();
    let mut rest = rank + 7;
    for _ in 0..2 + rank % 3 {
        word.push_str(SYLLABLES[rest % SYLLABLES.len()]);
        rest /= SYLLABLES.len();
    }
    word.push_str(SUFFIXES[rank % SUFFIXES.len()]);
    word
}

fn word(rng: &mut Rng, vocabulary: usize) -> String {
    match rng.below(10) {
        0..=3 => FILLER[rng.below(FILLER.len())].to_owned(),
        4..=6 => COMMON[rng.zipf(COMMON.len())].to_owned(),
        7 if rng.below(40) == 0 => format!("{:014}", rng.next() % 100_000_000_000_000),
        7 if rng.below(10) == 0 => format!("{},{:02}", rng.below(100_000), rng.below(100)),
        _ => synthetic_word(rng.zipf(vocabulary)),
    }
}

fn sentence(rng: &mut Rng, n_words: usize, vocabulary: usize) -> String {
    let words: Vec<String> = (0..n_words).map(|_| word(rng, vocabulary)).collect();
    let mut res = words.join(" ");
    if let Some(first) = res.get(..1) {
        res.replace_range(..1, &first.to_uppercase());
    }
    res.push('.');
    res
}

fn corpus(n_pages: usize, words_per_page: usize) -> Vec<Document<'static>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let vocabulary = 20_000;
    let n_sections = 5;
    (0..n_pages)
        .map(|page| {
            let sections = (0..n_sections)
                .map(|section_idx| {
                    let mut text = String::new();
                    let mut n_words = 0;
                    while n_words < words_per_page / n_sections {
                        let len = 8 + rng.below(16);
                        text.push_str(&sentence(&mut rng, len, vocabulary));
                        text.push(' ');
                        n_words += len;
                    }
                    let heading = if section_idx == 0 {
                        String::new()
                    } else {
                        let len = 2 + rng.below(4);
                        sentence(&mut rng, len, vocabulary)
                    };
                    Section {
                        anchor: if section_idx == 0 {
                            "".into()
                        } else {
                            format!("section-{section_idx}").into()
                        },
                        heading: heading.into(),
                        text: text.into(),
                    }
                })
                .collect();
            let title_len = 3 + rng.below(4);
            Document {
                url: format!("module-{}/page-{page}.html", page / 20).into(),
                title: sentence(&mut rng, title_len, vocabulary).into(),
                module: Some(format!("Module {}", page / 20).into()),
                sections,
                kind: DocKind::Page,
            }
        })
        .collect()
}

fn gzip_len(bytes: &[u8]) -> Option<usize> {
    let mut child = Command::new("gzip")
        .arg("-9c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    Some(output.stdout.len())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n_pages: usize = args
        .next()
        .map_or(1000, |arg| arg.parse().expect("n_pages"));
    let words_per_page: usize = args.next().map_or(900, |arg| arg.parse().expect("words"));
    let mut options = IndexOptions::default();
    if let Some(arg) = args.next() {
        options.stored_chars = arg.parse().expect("stored_chars");
    }
    let docs = corpus(n_pages, words_per_page);
    let n_words: usize = docs
        .iter()
        .flat_map(|doc| &doc.sections)
        .map(|section| section.text.split_whitespace().count())
        .sum();
    let text_bytes: usize = docs
        .iter()
        .flat_map(|doc| &doc.sections)
        .map(|section| section.text.len())
        .sum();
    println!("corpus: {n_pages} pages, {n_words} words, {text_bytes} bytes of section text");

    let started = Instant::now();
    let index = build_index_with(&docs, &options);
    println!("build: {:?}, {} terms", started.elapsed(), index.n_terms());

    let json = index.to_json();
    if let Some(path) = std::env::var_os("MEASURE_JSON_OUT") {
        std::fs::write(path, &json).expect("the JSON dump is written");
    }
    let script = index_script(&json, "didactSearchIndex");
    println!(
        "json: {} bytes, gzip -9: {:?} bytes",
        json.len(),
        gzip_len(json.as_bytes())
    );
    println!(
        "script: {} bytes, gzip -9: {:?} bytes",
        script.len(),
        gzip_len(script.as_bytes())
    );
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    for key in ["docs", "secs", "terms", "post", "title", "forms", "alias"] {
        println!("  {key}: {} bytes", value[key].to_string().len());
    }

    let started = Instant::now();
    let loaded = Index::from_json(&json).expect("loads");
    println!("load (from_json): {:?}", started.elapsed());

    // Coverage of the excerpt store: the share of (section, term) pairs whose term also occurs
    // in the section's stored text, i.e. whose excerpt can show and highlight the match.
    let (mut n_pairs, mut n_covered) = (0usize, 0usize);
    let value_secs = value["secs"].as_array().expect("sections");
    for (section, stored) in docs.iter().flat_map(|doc| &doc.sections).zip(value_secs) {
        let stored_terms: std::collections::HashSet<String> = tokens(stored[3].as_str().unwrap())
            .into_iter()
            .map(|token| token.term)
            .collect();
        let section_terms: std::collections::HashSet<String> = tokens(&section.text)
            .into_iter()
            .map(|token| token.term)
            .collect();
        n_pairs += section_terms.len();
        n_covered += section_terms.intersection(&stored_terms).count();
    }
    println!(
        "excerpt store covers {:.1} % of (section, term) pairs",
        100.0 * n_covered as f64 / n_pairs as f64
    );

    let queries = [
        "facture",
        "factu",
        "equipement securite",
        "l’entreprise dépose ses factures",
        "cadre a1",
        "f",
        "de",
        "mandat comptable public",
        &synthetic_word(3),
    ];
    for query in queries {
        let runs = 50;
        let started = Instant::now();
        let mut n_hits = 0;
        for _ in 0..runs {
            n_hits = loaded.search(query, 10).len();
        }
        println!(
            "query {query:?}: {n_hits} hits, {:?} each",
            started.elapsed() / runs
        );
    }
}
