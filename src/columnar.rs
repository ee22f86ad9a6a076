//! The in-memory column batch every reader produces and the mapping consumes: a handful of
//! DuckDB-shaped types, each stored so that filling and reading a 2048-row batch allocates per
//! column, not per value.

/// Money, quantities and rates: DECIMAL(38, 18). 18 fractional digits hold every value seen in
/// vendor files (CUR writes up to 10, OCI 18) and 20 integer digits any bill on Earth.
pub const DECIMAL_WIDTH: u8 = 38;
pub const DECIMAL_SCALE: u8 = 18;
pub const DECIMAL_ONE: i128 = 1_000_000_000_000_000_000;

/// The value types columns can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColType {
    Varchar,
    Decimal,
    TimestampTz,
    Boolean,
    /// MAP(VARCHAR, VARCHAR)
    MapVarchar,
    /// MAP(VARCHAR, DECIMAL(38,18))
    MapDecimal,
    /// VARCHAR[]
    ListVarchar,
}

impl ColType {
    /// The type names the embedded column catalogues (`sql/<vendor>/*_columns.csv`) use.
    pub fn from_catalogue(t: &str) -> Option<ColType> {
        Some(match t {
            "VARCHAR" => ColType::Varchar,
            "DECIMAL" => ColType::Decimal,
            "TIMESTAMPTZ" => ColType::TimestampTz,
            "BOOLEAN" => ColType::Boolean,
            "MAP_VARCHAR" => ColType::MapVarchar,
            "MAP_DECIMAL" => ColType::MapDecimal,
            _ => return None,
        })
    }

    pub fn sql_name(self) -> &'static str {
        match self {
            ColType::Varchar => "VARCHAR",
            ColType::Decimal => "DECIMAL(38,18)",
            ColType::TimestampTz => "TIMESTAMPTZ",
            ColType::Boolean => "BOOLEAN",
            ColType::MapVarchar => "MAP(VARCHAR, VARCHAR)",
            ColType::MapDecimal => "MAP(VARCHAR, DECIMAL(38,18))",
            ColType::ListVarchar => "VARCHAR[]",
        }
    }
}

/// Strings packed into one buffer: value `i` is `bytes[ends[i-1]..ends[i]]`.
#[derive(Debug, Clone, Default)]
pub struct StrCol {
    bytes: String,
    ends: Vec<usize>,
    valid: Vec<bool>,
}

impl StrCol {
    pub fn with_capacity(rows: usize) -> Self {
        StrCol {
            bytes: String::with_capacity(rows * 16),
            ends: Vec::with_capacity(rows),
            valid: Vec::with_capacity(rows),
        }
    }
    #[inline]
    pub fn push(&mut self, v: Option<&str>) {
        if let Some(s) = v {
            self.bytes.push_str(s);
        }
        self.ends.push(self.bytes.len());
        self.valid.push(v.is_some());
    }
    /// Appends a value built in place (avoids a temporary String).
    #[inline]
    pub fn push_with(&mut self, f: impl FnOnce(&mut String)) {
        f(&mut self.bytes);
        self.ends.push(self.bytes.len());
        self.valid.push(true);
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    // The hottest function of a scan (every rule reads its strings through it): inline it.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        if !self.valid[i] {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.bytes[start..self.ends[i]])
    }
    pub fn iter(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }
}

/// A map per row: row `i` owns entries `bounds[i]` of `keys`/`values`; `None` is a NULL map.
#[derive(Debug, Clone)]
pub struct MapCol {
    pub bounds: Vec<Option<(usize, usize)>>,
    pub keys: StrCol,
    pub values: Box<Column>,
}

impl MapCol {
    pub fn new(value_type: ColType, rows: usize) -> Self {
        MapCol {
            bounds: Vec::with_capacity(rows),
            keys: StrCol::default(),
            values: Box::new(Column::new(value_type, rows)),
        }
    }
    pub fn entries(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.bounds[i].map(|(s, e)| s..e)
    }
}

/// A list of strings per row, laid out like [`MapCol`] without values.
#[derive(Debug, Clone, Default)]
pub struct ListCol {
    pub bounds: Vec<Option<(usize, usize)>>,
    pub items: StrCol,
}

impl ListCol {
    pub fn push(&mut self, items: Option<&[&str]>) {
        match items {
            Some(items) => {
                let start = self.items.len();
                for i in items {
                    self.items.push(Some(i));
                }
                self.bounds.push(Some((start, self.items.len())));
            }
            None => self.bounds.push(None),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Column {
    Str(StrCol),
    Dec(Vec<Option<i128>>),
    /// Microseconds since the epoch, UTC.
    Ts(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Map(MapCol),
    List(ListCol),
}

impl Column {
    pub fn new(ty: ColType, rows: usize) -> Self {
        match ty {
            ColType::Varchar => Column::Str(StrCol::with_capacity(rows)),
            ColType::Decimal => Column::Dec(Vec::with_capacity(rows)),
            ColType::TimestampTz => Column::Ts(Vec::with_capacity(rows)),
            ColType::Boolean => Column::Bool(Vec::with_capacity(rows)),
            ColType::MapVarchar => Column::Map(MapCol::new(ColType::Varchar, rows)),
            ColType::MapDecimal => Column::Map(MapCol::new(ColType::Decimal, rows)),
            ColType::ListVarchar => Column::List(ListCol::default()),
        }
    }

    pub fn nulls(ty: ColType, rows: usize) -> Self {
        let mut c = Column::new(ty, rows);
        for _ in 0..rows {
            c.push_null();
        }
        c
    }

    pub fn len(&self) -> usize {
        match self {
            Column::Str(c) => c.len(),
            Column::Dec(v) => v.len(),
            Column::Ts(v) => v.len(),
            Column::Bool(v) => v.len(),
            Column::Map(m) => m.bounds.len(),
            Column::List(l) => l.bounds.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push_null(&mut self) {
        match self {
            Column::Str(c) => c.push(None),
            Column::Dec(v) => v.push(None),
            Column::Ts(v) => v.push(None),
            Column::Bool(v) => v.push(None),
            Column::Map(m) => m.bounds.push(None),
            Column::List(l) => l.bounds.push(None),
        }
    }

    pub fn is_null(&self, i: usize) -> bool {
        match self {
            Column::Str(c) => c.get(i).is_none(),
            Column::Dec(v) => v[i].is_none(),
            Column::Ts(v) => v[i].is_none(),
            Column::Bool(v) => v[i].is_none(),
            Column::Map(m) => m.bounds[i].is_none(),
            Column::List(l) => l.bounds[i].is_none(),
        }
    }

    pub fn col_type(&self) -> ColType {
        match self {
            Column::Str(_) => ColType::Varchar,
            Column::Dec(_) => ColType::Decimal,
            Column::Ts(_) => ColType::TimestampTz,
            Column::Bool(_) => ColType::Boolean,
            Column::Map(m) => match *m.values {
                Column::Dec(_) => ColType::MapDecimal,
                _ => ColType::MapVarchar,
            },
            Column::List(_) => ColType::ListVarchar,
        }
    }
}

/// A batch of rows: one slot per column of the producer's schema; `None` where the consumer
/// did not ask for the column (projection pushdown), so it was never parsed.
#[derive(Debug, Default)]
pub struct Batch {
    pub rows: usize,
    pub columns: Vec<Option<Column>>,
}
