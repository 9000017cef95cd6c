//! « Créer une structure » (identifier checked against the simulated INSEE register, then
//! pre-filled) and « Demande de rattachement » (search, request).

use didact_sim::world::{same_email, Address, IdentifierType, World};
use didact_sim::{Action, FieldError};
use web_sys::Element;

use super::account::request_status;
use super::dom::{enum_value, parse_enum, set, Field};
use super::{Ctx, Prefill, Values};

const IDENTIFIER_TYPES: [IdentifierType; 7] = [
    IdentifierType::Siret,
    IdentifierType::UeHorsFrance,
    IdentifierType::HorsUe,
    IdentifierType::Ridet,
    IdentifierType::Tahiti,
    IdentifierType::Particulier,
    IdentifierType::EnCoursImmatriculation,
];

/// The action of a structure form.
pub fn action(kind: &str, values: &Values) -> Option<Action> {
    Some(match kind {
        "create_structure" => {
            let address = Address {
                street: values.get("adresse"),
                postal_code: values.get("code_postal"),
                city: values.get("ville"),
                country: values.get("pays"),
            };
            let typed = [&address.street, &address.postal_code, &address.city]
                .iter()
                .any(|part| !part.trim().is_empty());
            Action::CreateStructure {
                identifier_type: parse_enum(&values.get("identifier_type")).unwrap_or_default(),
                siret: values.get("siret"),
                raison_sociale: values.get("raison_sociale"),
                address: typed.then_some(address),
            }
        }
        "request_rattachement" => Action::RequestRattachement {
            siret: values.get("siret"),
            services: values.all("services"),
        },
        _ => return None,
    })
}

/// Step 1 of « Créer une structure »: a SIRET is looked up in the register; other identifier
/// types go straight to the form.
pub fn lookup(world: &World, values: &Values) -> Result<Prefill, FieldError> {
    let identifier_type: IdentifierType =
        parse_enum(&values.get("identifier_type")).unwrap_or_default();
    let siret = values.get("siret").trim().to_owned();
    if identifier_type != IdentifierType::Siret {
        return Ok(Prefill {
            identifier_type,
            siret,
            raison_sociale: String::new(),
            address: Address::default(),
            masked: false,
        });
    }
    let entry = world.lookup_register(&siret)?;
    Ok(Prefill {
        identifier_type,
        siret,
        raison_sociale: entry.raison_sociale.clone(),
        address: if entry.non_diffusible {
            Address::default()
        } else {
            entry.address.clone()
        },
        masked: entry.non_diffusible,
    })
}

/// « Créer une structure ».
pub fn render_create(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Créer une structure");
    if !ctx.require_login(parent) {
        return;
    }
    let Some(prefill) = &ctx.ui.prefill else {
        dom.add_text(
            parent,
            "p",
            "sim-note",
            "Choisissez le type d’identifiant et saisissez l’identifiant de votre structure : Chorus Pro vérifie le SIRET dans la base INSEE et pré-remplit la raison sociale et l’adresse.",
        );
        let form = dom.form(parent, "lookup_siret", "Identification de la structure");
        let options: Vec<(String, String)> = IDENTIFIER_TYPES
            .iter()
            .map(|t| (enum_value(t), t.label().to_owned()))
            .collect();
        dom.select(
            &form,
            Field::new("identifier_type", "Type d’identifiant").value("siret"),
            &options,
        );
        dom.input(
            &form,
            Field::new("siret", "Identifiant (SIRET)").required().help(
                "14 chiffres, sans espace : le SIREN (9 chiffres) suivi du NIC (5 chiffres).",
            ),
        );
        dom.submit(&form, "Rechercher", "primary");
        return;
    };
    let form = dom.form(parent, "create_structure", "Informations de la structure");
    dom.hidden(
        &form,
        "identifier_type",
        &enum_value(&prefill.identifier_type),
    );
    dom.hidden(&form, "pays", &prefill.address.country);
    dom.input(
        &form,
        Field::new("siret", prefill.identifier_type.label())
            .value(&prefill.siret)
            .readonly(),
    );
    let from_register = prefill.identifier_type == IdentifierType::Siret;
    let mut name = Field::new("raison_sociale", "Raison sociale")
        .value(&prefill.raison_sociale)
        .required();
    if from_register {
        name = name.help("Pré-remplie depuis la base INSEE.");
    }
    dom.input(&form, name);
    if prefill.masked {
        dom.add_text(
            &form,
            "p",
            "sim-note",
            "Adresse masquée : ce SIRET est « non diffusible » dans la base INSEE.",
        );
    }
    dom.input(
        &form,
        Field::new("adresse", "Adresse").value(&prefill.address.street),
    );
    dom.input(
        &form,
        Field::new("code_postal", "Code postal").value(&prefill.address.postal_code),
    );
    dom.input(
        &form,
        Field::new("ville", "Ville").value(&prefill.address.city),
    );
    dom.submit(&form, "Créer la structure", "primary");
    dom.nav_button(
        parent,
        "Modifier l’identifiant",
        super::Screen::CreateStructure.name(),
    );
}

/// « Demande de rattachement »: search a structure and ask to be attached.
pub fn render_rattachement(ctx: &Ctx, parent: &Element) {
    let dom = ctx.dom;
    dom.title(parent, "Demande de rattachement à une structure");
    if !ctx.require_login(parent) {
        return;
    }
    let form = dom.form(parent, "search_structures", "Rechercher une structure");
    dom.input(
        &form,
        Field::new("recherche", "SIRET ou raison sociale")
            .value(ctx.ui.search.as_ref().map_or("", |s| s.query.as_str()))
            .required()
            .help("Au moins 3 chiffres du SIRET, ou la raison sociale exacte et complète."),
    );
    dom.submit(&form, "Rechercher", "primary");

    if let Some(search) = &ctx.ui.search {
        let results = dom.add(parent, "div", "sim-results");
        set(&results, "data-results", "");
        set(&results, "tabindex", "-1");
        if search.results.is_empty() {
            dom.add_text(
                &results,
                "p",
                "sim-note",
                "Aucune structure ne correspond à votre recherche.",
            );
        } else {
            let body = dom.table(
                &results,
                &format!("Résultats ({})", search.results.len()),
                &["SIRET", "Raison sociale", "Demande"],
            );
            for summary in &search.results {
                let row = dom.row_of(&body, &[&summary.siret, &summary.raison_sociale]);
                let cell = dom.add(&row, "td", "");
                let form = dom.form(&cell, "request_rattachement", "");
                dom.hidden(&form, "siret", &summary.siret);
                for service in &summary.services {
                    dom.checkbox(
                        &form,
                        Field::new(
                            "services",
                            &format!("Service {} — {}", service.code, service.name),
                        )
                        .value(&service.code),
                        false,
                    );
                }
                dom.submit(&form, "Demander le rattachement", "");
            }
        }
    }

    let Some(user) = ctx.user() else {
        return;
    };
    let requests: Vec<_> = ctx
        .world
        .requests
        .iter()
        .filter(|r| same_email(&r.email, user))
        .collect();
    if !requests.is_empty() {
        let body = dom.table(parent, "Mes demandes de rattachement", &["SIRET", "Statut"]);
        for request in requests {
            dom.row_of(&body, &[&request.siret, request_status(request.status)]);
        }
    }
}
