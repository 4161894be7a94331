//! A term that explains itself: its meaning and source from the glossary (`fota_course::
//! glossary`) show on hover and on keyboard focus, never on hover alone. A word the glossary
//! does not know is shown as it is.

use fota_course::glossary;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TermProps {
    /// What the page shows.
    pub text: AttrValue,
    /// The glossary entry to explain it by, when it is not the text itself ("2.04" for
    /// "2.04 Changed (0x44)").
    #[prop_or_default]
    pub term: Option<AttrValue>,
}

#[function_component(Term)]
pub fn term(props: &TermProps) -> Html {
    let key = props.term.as_deref().unwrap_or(&props.text);
    let id = use_memo((), |_| next_id());
    let Some(found) = glossary::lookup(key) else {
        return html! { { props.text.clone() } };
    };
    let tip = format!("tip-{id}");
    html! {
        <span class="term" tabindex="0" data-testid="glossary-term" aria-describedby={tip.clone()}>
            { props.text.clone() }
            <span class="tip" role="tooltip" id={tip}>
                <strong>{ found.term }</strong>{ ": " }{ found.meaning }
                <small>{ found.source }</small>
            </span>
        </span>
    }
}

/// A number no other term on the page has, for its tooltip's id.
fn next_id() -> u32 {
    thread_local!(static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
    NEXT.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}
