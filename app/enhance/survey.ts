// The survey pages' own script (the contract with their markup: app/enhance/contract.ts). The
// pages work without it; it adds validation messages before sending, display conditions that
// act as the citizen answers, answers kept across a language switch and the outbox that keeps a
// post on the phone until the server has it. No framework: one small file (vite/enhance-script.ts).
import { readSubmittedValues } from "#app/domain/survey-form";
import { parseStep, questionsOfStep } from "#app/domain/survey-steps";
import { applyConditions, dropConditionNotes } from "./conditions-dom";
import { PAGE_DATA_ID, type SurveyPageData } from "./contract";
import { saveDraft, takeDraft } from "./draft";
import { showErrors } from "./errors-dom";
import { answersInForm, fillForm } from "./form-values";
import { message, type Messages } from "./messages";
import type { OutboxItem } from "./outbox";
import { createSender, type Sender } from "./sender";

const root = document.documentElement;
root.classList.add("js");

/** Web storage, or null where it is missing or blocked (some in-app browsers, private modes). */
function storage(kind: "localStorage" | "sessionStorage"): Storage | null {
  try {
    return window[kind] ?? null;
  } catch {
    return null;
  }
}

function readPageData(): Partial<SurveyPageData> | null {
  const text = document.getElementById(PAGE_DATA_ID)?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as Partial<SurveyPageData>;
  } catch {
    return null;
  }
}

function statusLine(messages: Messages) {
  const el = document.getElementById("send-status");
  return (key: string) => {
    // Never a bare key: a page that embedded no texts says nothing.
    if (!el || messages[key] === undefined) return;
    const text = message(messages, key);
    if (!el.hidden && el.textContent === text) return;
    if (el.hidden) {
      // Shown first, filled a moment later: a live region that appears with its text is often not read out.
      el.hidden = false;
      setTimeout(() => (el.textContent = text), 50);
    } else {
      el.textContent = text;
    }
  };
}

function randomId(): string {
  const c = window.crypto;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function postUrl(form: HTMLFormElement): string {
  // form.action is the page's own address when the form has no action attribute.
  const url = new URL(form.action || location.href, location.href);
  url.hash = "";
  return url.href;
}

function urlEncoded(form: HTMLFormElement, submitter: HTMLElement | null): string {
  const params = new URLSearchParams();
  new FormData(form).forEach((value, name) => {
    if (typeof value === "string") params.append(name, value);
  });
  const s = submitter as HTMLButtonElement | HTMLInputElement | null;
  if (s?.name) params.append(s.name, s.value);
  return params.toString();
}

function field(form: HTMLFormElement, name: string): HTMLInputElement | null {
  const el = form.elements.namedItem(name);
  return el instanceof HTMLInputElement ? el : null;
}

interface FormPage {
  data: Partial<SurveyPageData> & Pick<SurveyPageData, "questions" | "step">;
  messages: Messages;
  sender: Sender;
}

function enhanceForm(form: HTMLFormElement, { data, messages, sender }: FormPage) {
  const questions = data.questions;
  const stepQuestions = questionsOfStep(questions, data.step);
  const given = data.given ?? {};
  const slot = document.getElementById("error-summary-slot");
  const button = form.querySelector<HTMLButtonElement | HTMLInputElement>('button[type="submit"], button:not([type]), input[type="submit"]');
  const buttonText = button ? (button instanceof HTMLInputElement ? button.value : button.textContent) : null;
  const setButton = (text: string | null, disabled: boolean) => {
    if (!button) return;
    button.disabled = disabled;
    if (text === null) return;
    if (button instanceof HTMLInputElement) button.value = text;
    else button.textContent = text;
  };

  // Answers parked by the language link of the page in the other language.
  const drafts = storage("sessionStorage");
  const draftKey = data.draftKey ?? "";
  const draft = takeDraft(drafts, draftKey);
  if (draft) fillForm(form, draft);

  dropConditionNotes(form);
  const conditions = () => applyConditions(form, questions, stepQuestions, given);
  conditions();
  form.addEventListener("change", conditions);
  form.addEventListener("input", conditions);

  for (const a of Array.from(document.querySelectorAll("nav.lang-switcher a"))) {
    a.addEventListener("click", () => saveDraft(drafts, draftKey, answersInForm(form)));
  }

  // The summary's links: to the question's first control, with the question's label in view.
  slot?.addEventListener("click", (e) => {
    const a = (e.target as Element).closest?.('a[href^="#"]');
    const target = a && document.getElementById(decodeURIComponent(a.getAttribute("href")!.slice(1)));
    if (!target) return;
    e.preventDefault();
    (target.closest("[data-question]") ?? target).scrollIntoView();
    target.focus({ preventScroll: true });
  });

  let submitted = false;
  form.addEventListener("submit", (e) => {
    // A double tap, or a post already kept for later, sends once.
    if (submitted) {
      e.preventDefault();
      return;
    }
    const values = readSubmittedValues(new FormData(form), stepQuestions);
    const result = parseStep(values, questions, data.step, given);
    const summary = showErrors(form, slot, stepQuestions, result.ok ? {} : result.errors, data.labels ?? {}, messages);
    if (!result.ok) {
      e.preventDefault();
      summary?.focus();
      return;
    }
    // The office's preview stores nothing: posted the ordinary way.
    if (data.outbox === false) return;
    const finished = field(form, "finishedAt");
    // A resend keeps the moment the citizen first pressed send.
    if (finished && !finished.value) finished.value = String(Date.now());
    const item: OutboxItem = {
      id: field(form, "submissionId")?.value || randomId(),
      url: postUrl(form),
      body: urlEncoded(form, e.submitter ?? null),
      savedAt: Date.now(),
    };
    // Up to here a failure of the script leaves the browser's own post to go ahead.
    e.preventDefault();
    submitted = true;
    setButton(message(messages, "survey.submitting"), true);
    sender.sendOwn(item);
  });

  return {
    /** Back from the next page (the browser's page cache): the form can be sent again. */
    reset() {
      if (sender.ownPending()) return;
      submitted = false;
      setButton(buttonText, false);
    },
    /** The server refused the post for good: post the form natively so that its page says why. */
    postNatively() {
      HTMLFormElement.prototype.submit.call(form);
    },
  };
}

/**
 * Shows the page the server answered with (the thanks page), already fetched: its address goes in
 * the history, its markup replaces this page's, and its own copy of this script sets it up. Falls
 * back to loading it.
 */
function showPage(url: string, html?: string) {
  if (html && url) {
    try {
      history.replaceState(null, "", url);
      document.open();
      document.write(html);
      document.close();
      return;
    } catch {
      // fall through: load it
    }
  }
  location.assign(url || location.href);
}

function setup() {
  const data = readPageData();
  const messages: Messages = data?.messages ?? {};
  const show = statusLine(messages);
  const form = document.querySelector<HTMLFormElement>("form[data-survey-form]");
  let page: ReturnType<typeof enhanceForm> | null = null;

  const sender = createSender(storage("localStorage"), {
    ownSent: (url, html) => showPage(url, html),
    ownRefused: () => page?.postNatively(),
    kept: () => show("survey.outbox.saved"),
    retrying: () => show("survey.outbox.retrying"),
    earlierSent: () => show("survey.outbox.sentEarlier"),
  });

  if (form && data?.questions && data.step) {
    page = enhanceForm(form, { data: data as FormPage["data"], messages, sender });
  }

  window.addEventListener("online", () => sender.online());
  window.addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    page?.reset();
    sender.flush(false);
  });
  // Posts kept by an earlier page (this one or another survey's) go now.
  sender.flush(false);
  root.dataset.enhanced = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
else setup();
