//! « Coordonnées bancaires » of a structure, the affactureur's included.

use didact_sim::Action;
use web_sys::Element;

use super::dom::Field;
use super::{Ctx, Values};

/// The action of a bank details form.
pub fn action(kind: &str, values: &Values) -> Option<Action> {
    Some(match kind {
        "add_bank_account" => Action::AddBankAccount {
            siret: values.get("siret"),
            iban: values.get("iban"),
            bic: values.get("bic"),
            holder: values.get("titulaire"),
            affactureur: values.checked("affactureur"),
        },
        "remove_bank_account" => Action::RemoveBankAccount {
            siret: values.get("siret"),
            iban: values.get("iban"),
        },
        _ => return None,
    })
}

/// « Coordonnées bancaires ».
pub fn render(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Coordonnées bancaires");
    if !ctx.require_login(parent) {
        return;
    }
    let Some(structure) = ctx.structure_picker(parent) else {
        return;
    };
    let siret = structure.siret.as_str();
    if structure.bank_accounts.is_empty() {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Aucunes coordonnées bancaires déclarées.",
        );
    } else {
        let body = dom.table(
            parent,
            "Coordonnées bancaires de la structure",
            &["IBAN", "BIC", "Titulaire du compte", "Affactureur", ""],
        );
        for account in &structure.bank_accounts {
            let iban = group_by_four(&account.iban);
            let factor = if account.affactureur { "Oui" } else { "Non" };
            let row = dom.row_of(&body, &[&iban, &account.bic, &account.holder, factor]);
            let cell = dom.add(&row, "td", "");
            dom.button_form(
                &cell,
                "remove_bank_account",
                "Supprimer",
                &[("siret", siret), ("iban", &account.iban)],
            );
        }
    }
    let form = dom.form(
        parent,
        "add_bank_account",
        "Ajouter des coordonnées bancaires",
    );
    dom.hidden(&form, "siret", siret);
    dom.input(
        &form,
        Field::new("iban", "IBAN")
            .required()
            .help("27 caractères pour un compte français ; les espaces sont acceptés."),
    );
    dom.input(
        &form,
        Field::new("bic", "BIC")
            .required()
            .help("8 ou 11 caractères."),
    );
    dom.input(
        &form,
        Field::new("titulaire", "Titulaire du compte").required(),
    );
    dom.checkbox(
        &form,
        Field::new(
            "affactureur",
            "Affactureur (compte d’une société d’affacturage)",
        ),
        false,
    );
    dom.submit(&form, "Ajouter", "primary");
}

/// `FR7699999…` → `FR76 9999 9…`, as IBANs are printed.
fn group_by_four(iban: &str) -> String {
    let chars: Vec<char> = iban.chars().collect();
    chars
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}
