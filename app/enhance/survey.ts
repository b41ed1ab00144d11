// The survey pages' own script: see app/enhance/contract.ts. (Placeholder until the enhancements land.)
document.documentElement.classList.add("js");
document.documentElement.dataset.enhanced = "true";
