//! Statements of a MATPOWER case file: `function mpc = NAME` and `mpc.FIELD = VALUE;`
//! where VALUE is a number, a string, a matrix `[...]` or a cell array `{...}`.
//!
//! Anything else (computations, indexing, calls) could change the data, so it is refused
//! with an error rather than skipped.

use super::lexer::{Lexer, Token, TokenKind};
use super::{ReadError, ReadErrorKind};
use lifeline_core::TextPosition;

/// One number of a matrix, with where it was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Cell {
    pub value: f64,
    pub position: TextPosition,
}

/// One row of a matrix or cell array.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row<T> {
    pub position: TextPosition,
    pub cells: Vec<T>,
}

/// The right-hand side of an assignment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Number(f64),
    Text(String),
    Matrix(Vec<Row<Cell>>),
    /// Cell array of strings (numbers are kept as their text).
    Cells(Vec<Row<String>>),
}

/// `target = value` at `position`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assignment<'a> {
    pub target: &'a str,
    pub position: TextPosition,
    pub value: Value,
}

/// The statements of a case file.
#[derive(Debug, Default)]
pub(crate) struct Statements<'a> {
    /// Name after `function mpc = `, if present.
    pub function_name: Option<&'a str>,
    pub assignments: Vec<Assignment<'a>>,
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    current: Token<'a>,
}

fn describe(kind: &TokenKind<'_>) -> String {
    match kind {
        TokenKind::Word(word) => format!("'{word}'"),
        TokenKind::Number(value) => format!("the number {value}"),
        TokenKind::Malformed(text) => format!("'{text}'"),
        TokenKind::Text(text) => format!("the string '{text}'"),
        TokenKind::UnterminatedText => "a string with no closing quote".into(),
        TokenKind::Newline => "the end of the line".into(),
        TokenKind::Symbol(symbol) => format!("'{symbol}'"),
        TokenKind::End => "the end of the file".into(),
    }
}

impl<'a> Parser<'a> {
    fn advance(&mut self) -> Token<'a> {
        let next = self.lexer.next_token();
        std::mem::replace(&mut self.current, next)
    }

    fn error(
        &self,
        position: TextPosition,
        field: Option<String>,
        kind: ReadErrorKind,
    ) -> ReadError {
        ReadError::at(position, field, kind)
    }

    fn unexpected(&self, expected: &str, field: Option<String>) -> ReadError {
        self.error(
            self.current.position,
            field,
            ReadErrorKind::Syntax {
                expected: expected.to_string(),
                found: describe(&self.current.kind),
            },
        )
    }

    fn statements(mut self) -> Result<Statements<'a>, ReadError> {
        let mut statements = Statements::default();
        loop {
            match self.current.kind {
                TokenKind::End => return Ok(statements),
                TokenKind::Newline | TokenKind::Symbol(';' | ',') => {
                    self.advance();
                }
                TokenKind::Word("function") => {
                    statements.function_name = Some(self.function_header()?);
                }
                TokenKind::Word("end" | "return") => {
                    self.advance();
                }
                TokenKind::Word(target) => {
                    let position = self.current.position;
                    self.advance();
                    if self.current.kind != TokenKind::Symbol('=') {
                        return Err(self.error(
                            position,
                            Some(target.to_string()),
                            ReadErrorKind::UnsupportedStatement {
                                found: describe(&self.current.kind),
                            },
                        ));
                    }
                    self.advance();
                    let value = self.value(target)?;
                    self.end_of_statement(target)?;
                    statements.assignments.push(Assignment {
                        target,
                        position,
                        value,
                    });
                }
                _ => return Err(self.unexpected("a statement such as 'mpc.bus = [...];'", None)),
            }
        }
    }

    /// `function mpc = NAME`; returns NAME.
    fn function_header(&mut self) -> Result<&'a str, ReadError> {
        self.advance();
        if self.current.kind == TokenKind::Symbol('[') {
            return Err(self.error(
                self.current.position,
                None,
                ReadErrorKind::UnsupportedVersion {
                    version: "1 (function [baseMVA, bus, gen, branch] = ...)".into(),
                },
            ));
        }
        let TokenKind::Word(_) = self.current.kind else {
            return Err(self.unexpected("'mpc' after 'function'", None));
        };
        self.advance();
        if self.current.kind != TokenKind::Symbol('=') {
            return Err(self.unexpected("'=' in 'function mpc = NAME'", None));
        }
        self.advance();
        let TokenKind::Word(name) = self.current.kind else {
            return Err(self.unexpected("the case name in 'function mpc = NAME'", None));
        };
        self.advance();
        Ok(name)
    }

    fn end_of_statement(&mut self, target: &str) -> Result<(), ReadError> {
        if matches!(self.current.kind, TokenKind::Symbol(';' | ',')) {
            self.advance();
        }
        match self.current.kind {
            TokenKind::Newline | TokenKind::End => Ok(()),
            _ => Err(self.unexpected("';' or the end of the line", Some(target.to_string()))),
        }
    }

    fn value(&mut self, target: &str) -> Result<Value, ReadError> {
        let token = self.advance();
        match token.kind {
            TokenKind::Number(value) => Ok(Value::Number(value)),
            TokenKind::Text(text) => Ok(Value::Text(text)),
            TokenKind::Symbol('[') => self.matrix(target, token.position).map(Value::Matrix),
            TokenKind::Symbol('{') => self.cells(target, token.position).map(Value::Cells),
            kind => {
                self.current = Token {
                    kind,
                    position: token.position,
                };
                Err(self.unexpected("a number, a string, '[' or '{'", Some(target.to_string())))
            }
        }
    }

    fn matrix(&mut self, target: &str, open: TextPosition) -> Result<Vec<Row<Cell>>, ReadError> {
        let mut rows: Vec<Row<Cell>> = Vec::new();
        let mut row: Option<Row<Cell>> = None;
        let finish_row = |row: &mut Option<Row<Cell>>, rows: &mut Vec<Row<Cell>>| {
            if let Some(done) = row.take() {
                rows.push(done);
            }
        };
        loop {
            let token = self.advance();
            match token.kind {
                TokenKind::Number(value) => {
                    row.get_or_insert_with(|| Row {
                        position: token.position,
                        cells: Vec::with_capacity(rows.last().map_or(16, |r| r.cells.len())),
                    })
                    .cells
                    .push(Cell {
                        value,
                        position: token.position,
                    });
                }
                TokenKind::Symbol(',') => {}
                TokenKind::Symbol(';') | TokenKind::Newline => finish_row(&mut row, &mut rows),
                TokenKind::Symbol(']') => {
                    finish_row(&mut row, &mut rows);
                    return Ok(rows);
                }
                TokenKind::End => {
                    return Err(self.error(
                        token.position,
                        Some(target.to_string()),
                        ReadErrorKind::Truncated {
                            what: format!("{target} (opened at {open})"),
                            expected: "']'".into(),
                        },
                    ));
                }
                kind => {
                    let row_number = rows.len() + 1;
                    let column = row.as_ref().map_or(0, |r| r.cells.len());
                    let field = super::field_label(target, row_number, column);
                    return Err(self.error(
                        token.position,
                        Some(field),
                        ReadErrorKind::NotANumber {
                            found: describe(&kind),
                        },
                    ));
                }
            }
        }
    }

    fn cells(&mut self, target: &str, open: TextPosition) -> Result<Vec<Row<String>>, ReadError> {
        let mut rows: Vec<Row<String>> = Vec::new();
        let mut row: Option<Row<String>> = None;
        loop {
            let token = self.advance();
            let text = match token.kind {
                TokenKind::Text(text) => text,
                TokenKind::Number(value) => value.to_string(),
                TokenKind::Symbol(',') => continue,
                TokenKind::Symbol(';') | TokenKind::Newline => {
                    rows.extend(row.take());
                    continue;
                }
                TokenKind::Symbol('}') => {
                    rows.extend(row.take());
                    return Ok(rows);
                }
                TokenKind::End => {
                    return Err(self.error(
                        token.position,
                        Some(target.to_string()),
                        ReadErrorKind::Truncated {
                            what: format!("{target} (opened at {open})"),
                            expected: "'}'".into(),
                        },
                    ));
                }
                kind => {
                    return Err(self.error(
                        token.position,
                        Some(format!("{target} row {}", rows.len() + 1)),
                        ReadErrorKind::Syntax {
                            expected: "a quoted string".into(),
                            found: describe(&kind),
                        },
                    ));
                }
            };
            row.get_or_insert_with(|| Row {
                position: token.position,
                cells: Vec::new(),
            })
            .cells
            .push(text);
        }
    }
}

/// Parses the statements of a case file.
pub(crate) fn statements(text: &str) -> Result<Statements<'_>, ReadError> {
    let mut lexer = Lexer::new(text);
    let current = lexer.next_token();
    Parser { lexer, current }.statements()
}
