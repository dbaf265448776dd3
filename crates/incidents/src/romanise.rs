//! Ukraine's official romanisation of Ukrainian (Cabinet of Ministers resolution No. 55 of
//! 27 January 2010), the one ACLED, Ukrainian authorities and road signs use: Київ →
//! Kyiv, Кривий Ріг → Kryvyi Rih, Запоріжжя → Zaporizhzhia, Миколаїв → Mykolaiv.
//!
//! The rules: one Latin letter or group per Cyrillic letter; є, ї, й, ю, я are `ye`, `yi`,
//! `y`, `yu`, `ya` at the start of a word and `ie`, `i`, `i`, `iu`, `ia` elsewhere; `зг`
//! is `zgh` (to tell it from `ж`); the soft sign and the apostrophe are dropped; letters
//! outside Ukrainian's alphabet (and Latin text) pass through unchanged. Capitals stay
//! capitals (`Щ` → `Shch`, all-capital words stay all capitals).
//!
//! GeoNames names Ukrainian places in an older system (BGN/PCGN: Kryvyy Rih,
//! Zaporizhzhya, Mykolayiv); the [`gazetteer`](crate::gazetteer) keeps those as variants.

/// The romanisation of one lowercase letter: (at the start of a word, elsewhere).
fn letter(c: char) -> Option<(&'static str, &'static str)> {
    let same = |s: &'static str| Some((s, s));
    match c {
        'а' => same("a"),
        'б' => same("b"),
        'в' => same("v"),
        'г' => same("h"),
        'ґ' => same("g"),
        'д' => same("d"),
        'е' => same("e"),
        'є' => Some(("ye", "ie")),
        'ж' => same("zh"),
        'з' => same("z"),
        'и' => same("y"),
        'і' => same("i"),
        'ї' => Some(("yi", "i")),
        'й' => Some(("y", "i")),
        'к' => same("k"),
        'л' => same("l"),
        'м' => same("m"),
        'н' => same("n"),
        'о' => same("o"),
        'п' => same("p"),
        'р' => same("r"),
        'с' => same("s"),
        'т' => same("t"),
        'у' => same("u"),
        'ф' => same("f"),
        'х' => same("kh"),
        'ц' => same("ts"),
        'ч' => same("ch"),
        'ш' => same("sh"),
        'щ' => same("shch"),
        'ь' => same(""),
        'ю' => Some(("yu", "iu")),
        'я' => Some(("ya", "ia")),
        _ => None,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`')
}

/// `text` in Ukraine's official romanisation (see the module docs).
pub fn ukrainian(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    // Whether the current word is written all in capitals (then so is its romanisation).
    let word_upper = |at: usize| {
        let start = (0..at)
            .rev()
            .take_while(|&k| chars[k].is_alphabetic() || is_apostrophe(chars[k]))
            .last()
            .unwrap_or(at);
        let letters: Vec<char> = chars[start..]
            .iter()
            .copied()
            .take_while(|c| c.is_alphabetic() || is_apostrophe(*c))
            .filter(|c| c.is_alphabetic())
            .collect();
        letters.len() > 1 && letters.iter().all(|c| c.is_uppercase())
    };
    for (k, &c) in chars.iter().enumerate() {
        if is_apostrophe(c)
            && k > 0
            && chars[k - 1].is_alphabetic()
            && chars
                .get(k + 1)
                .is_some_and(|n| letter(lower(*n)).is_some())
            && letter(lower(chars[k - 1])).is_some()
        {
            continue;
        }
        let small = lower(c);
        let Some((initial, inside)) = letter(small) else {
            out.push(c);
            continue;
        };
        let at_start = k == 0 || !(chars[k - 1].is_alphabetic() || is_apostrophe(chars[k - 1]));
        let previous = (k > 0).then(|| lower(chars[k - 1]));
        let latin = if small == 'г' && previous == Some('з') {
            "gh"
        } else if at_start {
            initial
        } else {
            inside
        };
        if c.is_uppercase() {
            if word_upper(k) {
                out.push_str(&latin.to_uppercase());
            } else {
                let mut letters = latin.chars();
                if let Some(first) = letters.next() {
                    out.extend(first.to_uppercase());
                    out.extend(letters);
                }
            }
        } else {
            out.push_str(latin);
        }
    }
    out
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Whether `text` is written in Ukrainian Cyrillic: Cyrillic letters only from
/// Ukrainian's alphabet (no ы, э, ъ, ё, ў, ј ...).
pub fn is_ukrainian(text: &str) -> bool {
    let mut any = false;
    for c in text.chars() {
        if c.is_alphabetic() {
            if letter(lower(c)).is_none() {
                return false;
            }
            any = true;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of the resolution's table.
    #[test]
    fn the_resolution_s_examples() {
        for (cyrillic, latin) in [
            ("Алушта", "Alushta"),
            ("Андрій", "Andrii"),
            ("Борщагівка", "Borshchahivka"),
            ("Вінниця", "Vinnytsia"),
            ("Гадяч", "Hadiach"),
            ("Згорани", "Zghorany"),
            ("Ґалаґан", "Galagan"),
            ("Дон", "Don"),
            ("Рівне", "Rivne"),
            ("Єнакієве", "Yenakiieve"),
            ("Наєнко", "Naienko"),
            ("Житомир", "Zhytomyr"),
            ("Закарпаття", "Zakarpattia"),
            ("Медвин", "Medvyn"),
            ("Іршава", "Irshava"),
            ("Їжакевич", "Yizhakevych"),
            ("Кадиївка", "Kadyivka"),
            ("Йосипівка", "Yosypivka"),
            ("Стрий", "Stryi"),
            ("Олексій", "Oleksii"),
            ("Київ", "Kyiv"),
            ("Миколаїв", "Mykolaiv"),
            ("Ніжин", "Nizhyn"),
            ("Одеса", "Odesa"),
            ("Ужгород", "Uzhhorod"),
            ("Харків", "Kharkiv"),
            ("Біла Церква", "Bila Tserkva"),
            ("Чернівці", "Chernivtsi"),
            ("Шостка", "Shostka"),
            ("Гоща", "Hoshcha"),
            ("Юрій", "Yurii"),
            ("Крюківка", "Kriukivka"),
            ("Яготин", "Yahotyn"),
            ("Ічня", "Ichnia"),
            ("Знам'янка", "Znamianka"),
            ("Розгон", "Rozghon"),
            ("Кривий Ріг", "Kryvyi Rih"),
            ("Запоріжжя", "Zaporizhzhia"),
            ("Івано-Франківськ", "Ivano-Frankivsk"),
            ("Хмельницький", "Khmelnytskyi"),
        ] {
            assert_eq!(ukrainian(cyrillic), latin, "{cyrillic}");
        }
    }

    #[test]
    fn capitals_latin_and_other_letters() {
        assert_eq!(ukrainian("ЩАСТЯ"), "SHCHASTIA");
        assert_eq!(ukrainian("Kyiv"), "Kyiv");
        assert_eq!(ukrainian("м. Суми, 2024"), "m. Sumy, 2024");
        assert!(is_ukrainian("Запоріжжя"));
        assert!(!is_ukrainian("Запорожье, ъ"));
        assert!(!is_ukrainian("Крывы Рог"));
        assert!(!is_ukrainian("Zaporizhzhia"));
    }
}
