//! Tokens of the MATLAB subset that MATPOWER case files use.
//!
//! Handles `%` comments, `%{ ... %}` block comments, `...` continuations (the rest of the
//! line is ignored and the line goes on), single-quoted strings with `''` escapes,
//! numbers with exponents, `Inf` and `NaN`, and reports every token with its position.

use lifeline_core::TextPosition;

/// One token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind<'a>,
    pub position: TextPosition,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind<'a> {
    /// An identifier, possibly dotted: `mpc.bus`, `function`.
    Word(&'a str),
    /// A number, including `Inf`, `-Inf` and `NaN`.
    Number(f64),
    /// A run of characters that looks like a number but is not one (`1.2.3`, `12abc`).
    Malformed(&'a str),
    /// A single-quoted string, unescaped.
    Text(String),
    /// A string that the line ended before closing.
    UnterminatedText,
    /// The end of a line (not emitted after a `...` continuation).
    Newline,
    /// `=`, `;`, `,`, `[`, `]`, `{`, `}`, `(`, `)`, `:` or any other character.
    Symbol(char),
    /// End of input.
    End,
}

/// Splits case text into tokens.
pub(crate) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    offset: usize,
    line: u32,
    column: u32,
    /// Whether the previous token can be followed by a transpose quote.
    after_value: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 1,
            after_value: false,
        }
    }

    fn position(&self) -> TextPosition {
        TextPosition::new(self.line, self.column)
    }

    fn peek_byte(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.offset + ahead).copied()
    }

    /// Advances one byte; columns count characters, so UTF-8 continuation bytes do not
    /// move the column.
    fn bump(&mut self) {
        if let Some(&byte) = self.bytes.get(self.offset) {
            self.offset += 1;
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
    }

    /// Skips to just before the next newline (or the end).
    fn skip_to_line_end(&mut self) {
        while let Some(byte) = self.peek_byte(0) {
            if byte == b'\n' {
                break;
            }
            self.bump();
        }
    }

    /// Whether the rest of the current line, from the cursor, is `marker` and blanks only.
    fn line_is_only(&self, marker: &str) -> bool {
        let rest = &self.text[self.offset..];
        let line = rest.split('\n').next().unwrap_or("");
        line.trim() == marker
    }

    /// Whether the cursor is at the first non-blank character of its line.
    fn at_line_start(&self) -> bool {
        self.text[..self.offset]
            .rsplit('\n')
            .next()
            .is_none_or(|before| before.trim().is_empty())
    }

    fn skip_block_comment(&mut self) {
        // The opening `%{` line; then lines up to and including one that is only `%}`.
        self.skip_to_line_end();
        while self.peek_byte(0).is_some() {
            self.bump(); // the newline
            while matches!(self.peek_byte(0), Some(b' ' | b'\t' | b'\r')) {
                self.bump();
            }
            let closes = self.line_is_only("%}");
            self.skip_to_line_end();
            if closes {
                return;
            }
        }
    }

    pub fn next_token(&mut self) -> Token<'a> {
        loop {
            let position = self.position();
            let Some(byte) = self.peek_byte(0) else {
                return Token {
                    kind: TokenKind::End,
                    position,
                };
            };
            match byte {
                b' ' | b'\t' | b'\r' => {
                    self.bump();
                    self.after_value = false;
                }
                b'%' => {
                    if self.at_line_start() && self.line_is_only("%{") {
                        self.skip_block_comment();
                    } else {
                        self.skip_to_line_end();
                    }
                }
                b'.' if self.peek_byte(1) == Some(b'.') && self.peek_byte(2) == Some(b'.') => {
                    // Continuation: ignore the rest of the line and its newline.
                    self.skip_to_line_end();
                    self.bump();
                    self.after_value = false;
                }
                b'\n' => {
                    self.bump();
                    self.after_value = false;
                    return Token {
                        kind: TokenKind::Newline,
                        position,
                    };
                }
                b'\'' if !self.after_value => return self.text_token(position),
                b'0'..=b'9' => return self.number_token(position, self.offset),
                b'.' if self.peek_byte(1).is_some_and(|b| b.is_ascii_digit()) => {
                    return self.number_token(position, self.offset);
                }
                b'+' | b'-' if self.sign_starts_number() => {
                    let start = self.offset;
                    self.bump();
                    return self.number_token(position, start);
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => return self.word_token(position),
                _ => {
                    let character = self.text[self.offset..].chars().next().unwrap_or('?');
                    for _ in 0..character.len_utf8() {
                        self.bump();
                    }
                    self.after_value = matches!(character, ']' | ')' | '}');
                    return Token {
                        kind: TokenKind::Symbol(character),
                        position,
                    };
                }
            }
        }
    }

    /// A sign directly followed by a digit, a point, `Inf` or `NaN` starts a number.
    fn sign_starts_number(&self) -> bool {
        match self.peek_byte(1) {
            Some(b'0'..=b'9' | b'.') => true,
            Some(b'I' | b'i' | b'N' | b'n') => {
                let rest = &self.text[self.offset + 1..];
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                matches!(word.as_str(), "Inf" | "inf" | "NaN" | "nan")
            }
            _ => false,
        }
    }

    fn number_token(&mut self, position: TextPosition, start: usize) -> Token<'a> {
        let mut previous = 0u8;
        while let Some(byte) = self.peek_byte(0) {
            let continues = byte.is_ascii_alphanumeric()
                || byte == b'.' && self.peek_byte(1) != Some(b'.')
                || matches!(byte, b'+' | b'-') && matches!(previous, b'e' | b'E');
            if !continues {
                break;
            }
            previous = byte;
            self.bump();
        }
        self.after_value = true;
        let text = &self.text[start..self.offset];
        let kind = match parse_number(text) {
            Some(value) => TokenKind::Number(value),
            None => TokenKind::Malformed(text),
        };
        Token { kind, position }
    }

    fn word_token(&mut self, position: TextPosition) -> Token<'a> {
        let start = self.offset;
        while let Some(byte) = self.peek_byte(0) {
            let dotted_member = byte == b'.'
                && self
                    .peek_byte(1)
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
            if byte.is_ascii_alphanumeric() || byte == b'_' || dotted_member {
                self.bump();
            } else {
                break;
            }
        }
        self.after_value = true;
        let text = &self.text[start..self.offset];
        let kind = match text {
            "Inf" | "inf" => TokenKind::Number(f64::INFINITY),
            "NaN" | "nan" => TokenKind::Number(f64::NAN),
            _ => TokenKind::Word(text),
        };
        Token { kind, position }
    }

    fn text_token(&mut self, position: TextPosition) -> Token<'a> {
        self.bump(); // opening quote
        let mut value = String::new();
        loop {
            match self.peek_byte(0) {
                None | Some(b'\n') => {
                    return Token {
                        kind: TokenKind::UnterminatedText,
                        position,
                    };
                }
                Some(b'\'') if self.peek_byte(1) == Some(b'\'') => {
                    value.push('\'');
                    self.bump();
                    self.bump();
                }
                Some(b'\'') => {
                    self.bump();
                    self.after_value = true;
                    return Token {
                        kind: TokenKind::Text(value),
                        position,
                    };
                }
                Some(_) => {
                    let character = self.text[self.offset..].chars().next().unwrap_or('?');
                    value.push(character);
                    for _ in 0..character.len_utf8() {
                        self.bump();
                    }
                }
            }
        }
    }
}

/// Parses a MATLAB numeric literal: decimal with optional exponent (`e`, `E`, or Fortran's
/// `d`/`D`), `Inf`, `NaN`, with an optional sign.
fn parse_number(text: &str) -> Option<f64> {
    let (sign, body) = match text.as_bytes().first() {
        Some(b'-') => (-1.0, &text[1..]),
        Some(b'+') => (1.0, &text[1..]),
        _ => (1.0, text),
    };
    let value = match body {
        "Inf" | "inf" => f64::INFINITY,
        "NaN" | "nan" => f64::NAN,
        _ => {
            let valid = body.bytes().all(|b| {
                b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'd' | b'D' | b'+' | b'-')
            }) && body
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_digit() || b == b'.');
            if !valid {
                return None;
            }
            if body.contains(['d', 'D']) {
                body.replace(['d', 'D'], "e").parse().ok()?
            } else {
                body.parse().ok()?
            }
        }
    };
    Some(sign * value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind<'_>> {
        let mut lexer = Lexer::new(text);
        let mut out = Vec::new();
        loop {
            let token = lexer.next_token();
            if token.kind == TokenKind::End {
                return out;
            }
            out.push(token.kind);
        }
    }

    #[test]
    fn numbers_in_all_spellings() {
        use TokenKind::*;
        assert_eq!(
            kinds("1 -2.5 .5 1e-3 -Inf Inf 3.E2 +4 1d2"),
            vec![
                Number(1.0),
                Number(-2.5),
                Number(0.5),
                Number(1e-3),
                Number(f64::NEG_INFINITY),
                Number(f64::INFINITY),
                Number(300.0),
                Number(4.0),
                Number(100.0)
            ]
        );
        assert_eq!(
            kinds("12abc 1.2.3"),
            vec![Malformed("12abc"), Malformed("1.2.3")]
        );
    }

    #[test]
    fn comments_continuations_and_strings() {
        use TokenKind::*;
        let text = "mpc.x = [1 2 ... ignored\n 3]; % comment\n%{\nblock\n%}\nc = {'it''s'};";
        assert_eq!(
            kinds(text),
            vec![
                Word("mpc.x"),
                Symbol('='),
                Symbol('['),
                Number(1.0),
                Number(2.0),
                Number(3.0),
                Symbol(']'),
                Symbol(';'),
                Newline,
                Newline,
                Word("c"),
                Symbol('='),
                Symbol('{'),
                Text("it's".into()),
                Symbol('}'),
                Symbol(';'),
            ]
        );
    }

    #[test]
    fn positions_count_characters() {
        let mut lexer = Lexer::new("% Cédric\n  x = 'é' 5");
        assert_eq!(lexer.next_token().kind, TokenKind::Newline);
        let x = lexer.next_token();
        assert_eq!(x.position, TextPosition::new(2, 3));
        lexer.next_token();
        lexer.next_token();
        let five = lexer.next_token();
        assert_eq!(five.position, TextPosition::new(2, 11));
    }

    #[test]
    fn transpose_quote_is_a_symbol() {
        use TokenKind::*;
        assert_eq!(
            kinds("a = [1 2]';"),
            vec![
                Word("a"),
                Symbol('='),
                Symbol('['),
                Number(1.0),
                Number(2.0),
                Symbol(']'),
                Symbol('\''),
                Symbol(';')
            ]
        );
    }
}
