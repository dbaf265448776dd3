// Words in two languages, numbers and times as the reader's locale writes them.
// Vocabulary the server defines (weapon classes, asset states, …) comes from the API
// document; the words here only translate it, and a name without a word is shown as is.
import { $$ } from "./dom.js";
import { state } from "./state.js";

export const WORDS = {
  en: {
    forecast_title: "When will my power be back?", forecast_district: "District",
    forecast_pick: "Pick a district…", forecast_pick_hint: "Pick a district, or click it on the map.",
    forecast_waiting: "The forecast comes after the repairs are planned.",
    forecast_running: "Forecasting: {p} % of the samples run…", forecast_failed: "No forecast: {e}",
    forecast_off: "This server makes no forecasts.",
    forecast_power_between: "Power back between {from} and {to} (80 %), most likely {likely}.",
    forecast_water_between: "Water back between {from} and {to} (80 %), most likely {likely}.",
    forecast_power_at: "Power back at {t}.", forecast_water_at: "Water back at {t}.",
    forecast_power_never_cut: "Power is not cut here.", forecast_water_never_cut: "Water is not cut here.",
    forecast_after: "after {t}",
    forecast_power_by: "Power back by {to} (90 %), most likely {likely}; in some forecasts it is not cut at all.",
    forecast_water_by: "Water back by {to} (90 %), most likely {likely}; in some forecasts it is not cut at all.",
    forecast_power_likely_not: "Power most likely not cut; if it is, back by {to} (90 %).",
    forecast_water_likely_not: "Water most likely not cut; if it is, back by {to} (90 %).",
    forecast_basis: "{n} draws of the repair times, {by}.", forecast_unlimited: "every repair from its strike",
    forecast_band: "80 % of forecasts",
    scenario: "Scenario", tab_map: "Map", tab_repairs: "Repairs", tab_outages: "Outage schedule",
    tab_incidents: "Incidents", mode_power: "Without power", mode_water: "Without water",
    customers_without_power: "customers without power", people_without_water: "people without water",
    click_district: "Click a district on the map for its numbers over time.",
    assets_down: "Assets hit or without supply", none_down: "None at this time.",
    restoration_curve: "Restoration curve", crew_timeline: "Crews' jobs", planners: "Planners compared",
    max_off: "Longest outage, h", min_on: "Shortest on time, h", apply: "Apply",
    find_group: "Find my group: your district", find: "Find", off: "off", maybe: "possible", on: "on",
    token: "Access token (for saving and running)", incidents: "Incidents", status: "Status", any: "any",
    draft: "draft", confirmed: "confirmed", retracted: "retracted", from: "From", to: "To",
    region: "Region", filter: "Filter", paste_report: "Paste a news report",
    paste_placeholder: "Paste the text of a news report here…", report_date: "Report date",
    publisher: "Publisher", extract: "Extract drafts", add_incident: "Add an incident",
    offline: "Served by lifeline: works without internet.",
    legend_power: "share of customers without power", legend_water: "share of people without water",
    symbol_pipe: "pipe", symbol_pump: "pump", symbol_line: "power line", symbol_substation: "substation",
    symbol_tank: "tank", symbol_reservoir: "source", symbol_station: "pump station",
    symbol_facility: "hospital or facility", symbol_down: "hit or without supply",
    population: "Population", customers: "Customers", now_power: "Without power now",
    now_water: "Without water now", power_back: "Power back", water_back: "Water back",
    never: "not in this run", never_cut: "never cut", over_time: "Share without service over time",
    loading: "Loading…", running: "Running: {p} %", planning: "Planning the repairs…",
    plan_failed: "No restoration plan: {e}", no_scenario: "No scenario run yet.",
    share_with_power: "customers with power", share_with_water: "people with water",
    planner: "Planner", objective: "Weighted hours lost", makespan: "All repaired", runtime: "Planning time",
    chosen: "chosen", hours: "h", crew: "Crew", travel: "travel",
    power_repair: "power repair", water_repair: "water repair",
    group: "Group", district_groups: "{d} is in:", share_of_district: "{s} % of the district",
    next_outages: "Next outages", no_outages: "no outages scheduled", calendar: "calendar (.ics)",
    no_district: "No district called “{d}”. Districts: {list}.",
    figures: "{name}: {shed} MWh shed beyond the deficit, {unc} MWh uncovered, longest outage {long} h",
    date: "Date", place: "Place", type: "Type", weapons: "Weapons", killed: "Killed", injured: "Injured",
    actions: "", confirm: "Confirm", retract: "Retract", no_incidents: "No incidents match.", more_incidents: "Show more",
    settlement: "Settlement", admin1: "Region (oblast)", country: "Country", event_type: "Event type",
    weapon: "Weapon", launched: "Launched", intercepted: "Intercepted", explosions: "Explosions",
    targets: "Targets", effects: "Effects", source: "Source (publisher)", source_url: "Source address",
    confidence: "Confidence", notes: "Notes", save: "Save", saved: "Saved as {id}.",
    baseline_note: "Beyond the normal day: even without strikes, up to {water} people lack water and {power} customers power at a time; those are not counted here.",
    normal_day: "Normal day (no strikes)", normal_day_value: "up to {water} people without water, {power} customers without power",
    save_draft: "Save as draft", need_token: "Enter the access token first.",
    drafts_found: "{n} drafts found. Review them, then save the ones that are right.",
    no_drafts: "No incidents found in this text.", evidence: "Evidence",
    missile: "missile", drone: "drone", glide_bomb: "glide bomb", artillery: "artillery", unknown: "unknown",
    power: "power", water: "water", heating: "heating", gas: "gas", oil: "oil", residential: "residential",
    industrial: "industrial", administrative: "administrative", transport: "transport",
    blackout: "blackout", water_outage: "water outage", heating_outage: "heating outage", fire: "fire",
    low: "low", medium: "medium", high: "high", play: "Play", pause: "Pause",
    token_summary: "Access token", run_scenario: "Run a scenario", run: "Run",
    run_placeholder: "A scenario.toml: name, horizon_h and [[strike]] entries (at, asset, damage, repair_h)",
    run_started: "Running as scenario {id}.",
    fair: "fair", exact: "exact", rotation: "rotation",
    state_destroyed: "destroyed", state_damaged: "damaged", state_no_power: "no power",
    state_backup: "on backup generator", state_waiting_for_backup: "waiting for its generator",
    state_no_water: "no water", state_no_power_no_water: "no power, no water",
    plan_headline: "{scenario}: {assets} damaged assets, {crews} crews. The {chosen} plan has everything repaired in {done}.",
  },
  uk: {
    forecast_title: "Коли повернеться світло?", forecast_district: "Район",
    forecast_pick: "Оберіть район…", forecast_pick_hint: "Оберіть район у списку або на мапі.",
    forecast_waiting: "Прогноз з’явиться після плану ремонтів.",
    forecast_running: "Прогноз: виконано {p} % вибірок…", forecast_failed: "Прогнозу немає: {e}",
    forecast_off: "Цей сервер не робить прогнозів.",
    forecast_power_between: "Світло повернеться між {from} і {to} (80 %), найімовірніше {likely}.",
    forecast_water_between: "Вода повернеться між {from} і {to} (80 %), найімовірніше {likely}.",
    forecast_power_at: "Світло повернеться о {t}.", forecast_water_at: "Вода повернеться о {t}.",
    forecast_power_never_cut: "Світло тут не зникає.", forecast_water_never_cut: "Вода тут не зникає.",
    forecast_after: "після {t}",
    forecast_power_by: "Світло повернеться до {to} (90 %), найімовірніше {likely}; у частині прогнозів воно не зникає.",
    forecast_water_by: "Вода повернеться до {to} (90 %), найімовірніше {likely}; у частині прогнозів вона не зникає.",
    forecast_power_likely_not: "Світло найімовірніше не зникне; якщо зникне — повернеться до {to} (90 %).",
    forecast_water_likely_not: "Вода найімовірніше не зникне; якщо зникне — повернеться до {to} (90 %).",
    forecast_basis: "{n} розіграшів тривалості ремонтів; {by}.", forecast_unlimited: "кожен ремонт від удару",
    forecast_band: "80 % прогнозів",
    scenario: "Сценарій", tab_map: "Мапа", tab_repairs: "Ремонти", tab_outages: "Графік відключень",
    tab_incidents: "Інциденти", mode_power: "Без світла", mode_water: "Без води",
    customers_without_power: "споживачів без світла", people_without_water: "мешканців без води",
    click_district: "Натисніть на район на мапі, щоб побачити його показники в часі.",
    assets_down: "Уражені або без живлення об’єкти", none_down: "Зараз таких немає.",
    restoration_curve: "Крива відновлення", crew_timeline: "Роботи бригад", planners: "Порівняння планувальників",
    max_off: "Найдовше відключення, год", min_on: "Найкоротше ввімкнення, год", apply: "Застосувати",
    find_group: "Знайти свою чергу: ваш район", find: "Знайти", off: "вимкнено", maybe: "можливо", on: "увімкнено",
    token: "Токен доступу (для збереження і розрахунків)", incidents: "Інциденти", status: "Статус", any: "будь-який",
    draft: "чернетка", confirmed: "підтверджено", retracted: "відкликано", from: "Від", to: "До",
    region: "Область", filter: "Фільтрувати", paste_report: "Вставте новину",
    paste_placeholder: "Вставте сюди текст новини…", report_date: "Дата новини",
    publisher: "Видання", extract: "Виділити чернетки", add_incident: "Додати інцидент",
    offline: "Працює через lifeline: без інтернету.",
    legend_power: "частка споживачів без світла", legend_water: "частка мешканців без води",
    symbol_pipe: "трубопровід", symbol_pump: "насос", symbol_line: "лінія електропередачі", symbol_substation: "підстанція",
    symbol_tank: "резервуар", symbol_reservoir: "джерело", symbol_station: "насосна станція",
    symbol_facility: "лікарня чи об’єкт", symbol_down: "уражено або без живлення",
    population: "Населення", customers: "Споживачі", now_power: "Без світла зараз",
    now_water: "Без води зараз", power_back: "Світло повернуто", water_back: "Воду повернуто",
    never: "не в цьому прогоні", never_cut: "не зникало", over_time: "Частка без послуги в часі",
    loading: "Завантаження…", running: "Розрахунок: {p} %", planning: "Плануємо ремонти…",
    plan_failed: "Плану відновлення немає: {e}", no_scenario: "Ще немає розрахованого сценарію.",
    share_with_power: "споживачів зі світлом", share_with_water: "мешканців з водою",
    planner: "Планувальник", objective: "Зважені втрачені години", makespan: "Усе відремонтовано", runtime: "Час планування",
    chosen: "обрано", hours: "год", crew: "Бригада", travel: "дорога",
    power_repair: "ремонт енергетики", water_repair: "ремонт водопостачання",
    group: "Черга", district_groups: "{d} входить до:", share_of_district: "{s} % району",
    next_outages: "Найближчі відключення", no_outages: "відключень не заплановано", calendar: "календар (.ics)",
    no_district: "Району «{d}» немає. Райони: {list}.",
    figures: "{name}: понад дефіцит відключено {shed} МВт·год, не покрито {unc} МВт·год, найдовше відключення {long} год",
    date: "Дата", place: "Місце", type: "Тип", weapons: "Засоби", killed: "Загинули", injured: "Поранені",
    actions: "", confirm: "Підтвердити", retract: "Відкликати", no_incidents: "Немає інцидентів за цими умовами.", more_incidents: "Показати ще",
    settlement: "Населений пункт", admin1: "Область", country: "Країна", event_type: "Тип події",
    weapon: "Засіб ураження", launched: "Запущено", intercepted: "Збито", explosions: "Вибухи",
    targets: "Цілі", effects: "Наслідки", source: "Джерело (видання)", source_url: "Адреса джерела",
    confidence: "Впевненість", notes: "Примітки", save: "Зберегти", saved: "Збережено як {id}.",
    baseline_note: "Понад звичайний день: навіть без ударів до {water} людей одночасно без води і {power} споживачів без світла; їх тут не враховано.",
    normal_day: "Звичайний день (без ударів)", normal_day_value: "до {water} людей без води, {power} споживачів без світла",
    save_draft: "Зберегти чернетку", need_token: "Спершу введіть токен доступу.",
    drafts_found: "Знайдено чернеток: {n}. Перевірте їх і збережіть правильні.",
    no_drafts: "У цьому тексті інцидентів не знайдено.", evidence: "Підстави",
    missile: "ракета", drone: "дрон", glide_bomb: "керована авіабомба", artillery: "артилерія", unknown: "невідомо",
    power: "енергетика", water: "водопостачання", heating: "теплопостачання", gas: "газ", oil: "нафта",
    residential: "житло", industrial: "промисловість", administrative: "адмінбудівлі", transport: "транспорт",
    blackout: "знеструмлення", water_outage: "без води", heating_outage: "без тепла", fire: "пожежа",
    low: "низька", medium: "середня", high: "висока", play: "Відтворити", pause: "Пауза",
    token_summary: "Токен доступу", run_scenario: "Розрахувати сценарій", run: "Розрахувати",
    run_placeholder: "Файл scenario.toml: name, horizon_h і записи [[strike]] (at, asset, damage, repair_h)",
    run_started: "Розраховується як сценарій {id}.",
    fair: "справедливий", exact: "точний", rotation: "черговість",
    state_destroyed: "знищено", state_damaged: "пошкоджено", state_no_power: "без живлення",
    state_backup: "на генераторі", state_waiting_for_backup: "чекає на генератор",
    state_no_water: "без води", state_no_power_no_water: "без живлення і води",
    plan_headline: "{scenario}: пошкоджених об’єктів {assets}, бригад {crews}. План «{chosen}» усе відновлює за {done}.",
  },
};

/** The language a first visit gets: the one stored, else the browser's. */
export function initialLanguage() {
  return localStorage.getItem("lifeline.lang") || ((navigator.language || "en").startsWith("uk") ? "uk" : "en");
}

/** Switches to `lang` and remembers it. */
export function setLanguage(lang) {
  state.lang = lang;
  localStorage.setItem("lifeline.lang", lang);
}

/** The word for `key` in the current language, with `{name}` filled from `vars`. */
export function t(key, vars = {}) {
  const text = (WORDS[state.lang] && WORDS[state.lang][key]) ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

const locale = () => (state.lang === "uk" ? "uk-UA" : "en-GB");
export const fmt = (n) => new Intl.NumberFormat(locale()).format(Math.round(n));
export const pct = (x) => `${Math.round(100 * x)} %`;

/** A reported time as a wall-clock label: the scenario's `start` plus `t_h`. */
export function timeLabel(start, t_h) {
  if (!start) return `+${t_h.toFixed(t_h % 1 ? 1 : 0)} ${t("hours")}`;
  const [date, clock = "00:00"] = start.split("T");
  const base = Date.parse(`${date}T${clock.slice(0, 5)}:00Z`);
  const at = new Date(base + t_h * 3600e3);
  return new Intl.DateTimeFormat(locale(), {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
  }).format(at);
}

/** The page's fixed words (`data-i18n`, `data-i18n-placeholder`) in the current language. */
export function translatePage() {
  document.documentElement.lang = state.lang;
  for (const el of $$("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of $$("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const b of $$(".lang button")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  document.querySelector("#play").title = t("play");
}
