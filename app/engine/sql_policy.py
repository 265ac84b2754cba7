"""Allow-lists for SQL written by users: what a query or expression may read and call.

Custom SQL, source queries and expressions come from project files, and projects come from
elsewhere (bundles). They are checked on the parsed sqlglot tree, before anything runs, by
**allow-list**: every node of the tree must be a construct listed here, every function a function
listed here, every table a plain name. Anything else — a table function such as ``read_text``
or ``glob``, ``ATTACH`` inside a subquery, a file path used as a table, a function sqlglot does
not know and nobody listed — is refused, naming the construct. New sqlglot releases add
functions; they stay refused until someone reads them and lists them here.

The local engine is locked down as well (:mod:`app.engine.local`): this module is the first
wall, DuckDB's ``enable_external_access = false`` the second.

>>> import sqlglot
>>> refusal(sqlglot.parse_one("SELECT upper(a) FROM t", read="duckdb")) is None
True
>>> refusal(sqlglot.parse_one("SELECT * FROM t, LATERAL read_text('/etc/passwd') l",
...                           read="duckdb"))
"the function 'read_text' is not allowed"
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from app.i18n import _

__all__ = [
    "SqlRefused",
    "check_expression",
    "check_query",
    "check_source_query",
    "function_names",
    "locked_duckdb",
    "refusal",
]


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: sqlglot function classes users may call (pure computations on values: no files, network,
#: session, catalogue or external services). Generated once from sqlglot 30.30's math, string,
#: temporal, aggregate, array and JSON functions, reviewed, then frozen here.
_FUNCTION_CLASSES = _names("""
    Abs Acos Acosh AddMonths And AnyValue Apply ApproxDistinct ApproxPercentileAccumulate
    ApproxPercentileCombine ApproxPercentileEstimate ApproxQuantile ApproxQuantiles ApproxTopK
    ApproxTopKAccumulate ApproxTopKCombine ApproxTopKEstimate ApproxTopSum ApproximateSimilarity
    ArgMax ArgMin Array ArrayAgg ArrayAll ArrayAny ArrayAppend ArrayCompact ArrayConcat
    ArrayConcatAgg ArrayConstructCompact ArrayContainedBy ArrayContains ArrayContainsAll
    ArrayDistinct ArrayExcept ArrayFilter ArrayFirst ArrayInsert ArrayIntersect ArrayLast ArrayMax
    ArrayMin ArrayOverlaps ArrayPosition ArrayPrepend ArrayRemove ArrayRemoveAt ArrayReverse
    ArraySize ArraySlice ArraySort ArraySum ArrayToString ArrayUnionAgg ArrayUniqueAgg ArraysZip
    Ascii Asin Asinh Atan Atan2 Atanh Avg Base64DecodeBinary Base64DecodeString Base64Encode
    BitLength BitmapBitPosition BitmapBucketNumber BitmapConstructAgg BitmapCount BitmapOrAgg
    BitwiseAndAgg BitwiseCount BitwiseOrAgg BitwiseXorAgg Booland Boolnot Boolor BoolxorAgg
    ByteLength Case Cast CastToStrType Cbrt Ceil CheckJson Chr CityHash64 Coalesce CodePointsToBytes
    CodePointsToString Collate Columns Compress Concat ConcatWs Contains Convert ConvertTimezone
    ConvertToCharset Corr Cos Cosh CosineDistance Cot Coth Count CountIf CovarPop CovarSamp Csc Csch
    CumeDist CurrentDate CurrentDatetime CurrentTime CurrentTimestamp CurrentTimestampLTZ Date
    DateAdd DateBin DateDiff DateFromParts DateFromUnixDate DateStrToDate DateSub DateToDateStr
    DateToDi DateTrunc Datetime DatetimeAdd DatetimeDiff DatetimeSub DatetimeTrunc Day DayOfMonth
    DayOfWeek DayOfWeekIso DayOfYear Dayname Decode DecodeCase DecompressBinary DecompressString
    Degrees DenseRank DiToDate DotProduct Elt Encode EndsWith EqualNull EuclideanDistance Exists Exp
    Explode ExplodingGenerateSeries Extract Factorial FarmFingerprint First FirstValue Flatten
    Float64 Floor Format FromBase FromBase32 FromBase64 FromISO8601Date FromISO8601Timestamp
    FromISO8601TimestampNanos FromJson GapFill GenerateDateArray GenerateSeries
    GenerateTimestampArray GetExtract Getbit Greatest GroupConcat Grouping GroupingId Hex
    HexDecodeString Hour If Initcap Inline Int64 IsArray IsAscii IsInf IsNan IsNullValue JSONArray
    JSONArrayAgg JSONArrayAppend JSONArrayContains JSONArrayInsert JSONBContains
    JSONBContainsAllTopKeys JSONBContainsAnyTopKeys JSONBContainsTopKey JSONBDeleteAtPath
    JSONBExists JSONBExtract JSONBExtractScalar JSONBObjectAgg JSONBPathExists JSONBool JSONExists
    JSONExtract JSONExtractArray JSONExtractScalar JSONFormat JSONKeys JSONKeysAtDepth JSONObject
    JSONObjectAgg JSONRemove JSONSet JSONStripNulls JSONTable JSONType JarowinklerSimilarity
    JustifyDays JustifyHours JustifyInterval Kurtosis Lag Last LastDay LastValue Lead Least Left
    Length Levenshtein List Ln Localtime Localtimestamp Log LogicalAnd LogicalOr Lower LowerHex MD5
    MD5Digest MD5NumberLower64 MD5NumberUpper64 MakeInterval ManhattanDistance Map MapCat
    MapContainsKey MapDelete MapFromEntries MapInsert MapKeys MapPick MapSize Max Median Min Minute
    Mode Month Monthname MonthsBetween Nanvl Negative NextDay Normalize NthValue Ntile Nullif
    NumberToStr Nvl2 ObjectAgg ObjectId ObjectInsert OpenJSON Or Overlay Pad ParseBignumeric
    ParseDatetime ParseJSON ParseNumeric ParseTime ParseUrl PercentRank PercentileCont
    PercentileDisc Pi Posexplode PosexplodeOuter Pow PreviousDay Quantile Quarter Radians Rand Rank
    Reduce RegexpCount RegexpExtract RegexpExtractAll RegexpFullMatch RegexpILike RegexpInstr
    RegexpLike RegexpReplace RegexpSplit RegexpSubstr RegrAvgx RegrAvgy RegrCount RegrIntercept
    RegrR2 RegrSlope RegrSxx RegrSxy RegrSyy RegrValx RegrValy Repeat Replace Reverse Right Rint
    Round RowNumber RtrimmedLength SHA SHA1Digest SHA2 SHA2Digest SafeAdd SafeConvertBytesToString
    SafeDivide SafeMultiply SafeNegate SafeSubtract Sec Sech Second Shuffle Sign Sin Sinh Skewness
    Soundex SoundexP123 Space Split SplitPart SplitToTable Sqrt Stack StandardHash StarMap
    StartsWith Stddev StddevPop StddevSamp StrPosition StrToDate StrToMap StrToTime StrToUnix String
    StringToArray StripNullValue Strtok StrtokSplitToTable StrtokToArray Struct StructExtract Stuff
    Substring SubstringIndex Sum Systimestamp Tan Tanh Time TimeAdd TimeDiff TimeFromParts TimeSlice
    TimeStrToDate TimeStrToTime TimeStrToUnix TimeSub TimeToStr TimeToTimeStr TimeToUnix TimeTrunc
    Timestamp TimestampAdd TimestampDiff TimestampFromParts TimestampLtzFromParts TimestampSub
    TimestampTrunc TimestampTzFromParts ToArray ToBase32 ToBase64 ToBinary ToBoolean ToChar
    ToCodePoints ToDays ToDecfloat ToDouble ToMap ToNumber Transform Translate Trim Trunc Try
    TryBase64DecodeBinary TryBase64DecodeString TryCast TryHexDecodeBinary TryHexDecodeString
    TryToDecfloat TsOrDiToDi TsOrDsAdd TsOrDsDiff TsOrDsToDate TsOrDsToDateStr TsOrDsToDatetime
    TsOrDsToTime TsOrDsToTimestamp Typeof Unhex Unicode UnixDate UnixMicros UnixMillis UnixSeconds
    UnixToStr UnixToTime UnixToTimeStr Unnest Upper UtcDate UtcTime UtcTimestamp Uuid VarMap
    Variance VariancePop Week WeekOfYear WeekStart WeightString WidthBucket Xor Year YearOfWeek
    YearOfWeekIso
""")

#: functions sqlglot does not model (it parses them as ``Anonymous``): DuckDB and PostgreSQL
#: names that compute on values only. Lower case.
_ANONYMOUS_FUNCTIONS = _names("""
    age array_length array_to_json bit_count bool_and bool_or btrim date_part datepart
    date_sub epoch epoch_ms epoch_us epoch_ns format hash ifnull isfinite isinf isnan
    json_array_length json_extract_path json_extract_path_text json_object_keys justify_days
    len list_aggregate list_contains list_distinct list_extract list_filter list_has
    list_position list_reverse list_slice list_sort list_sum list_transform list_value
    list_concat lpad ltrim make_date make_time make_timestamp make_timestamptz md5_number
    millisecond microsecond nanosecond nullif octet_length position printf regexp_matches
    regexp_split_to_array rpad rtrim sha256 sign split_part strip_accents strlen struct_pack
    struct_extract to_char to_date to_json to_number to_timestamp today trunc ucase lcase
    unaccent
""")

#: structural constructs a query or expression may contain besides functions and tables
_NODES: tuple[type[exp.Expr], ...] = (
    exp.Binary,
    exp.Unary,
    exp.Predicate,
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Null,
    exp.Boolean,
    exp.Star,
    exp.Alias,
    exp.Aliases,
    exp.TableAlias,
    exp.DataType,
    exp.DataTypeParam,
    exp.Interval,
    exp.IntervalSpan,
    exp.Var,
    exp.Tuple,
    exp.Bracket,
    exp.Lambda,
    exp.Window,
    exp.WindowSpec,
    exp.Order,
    exp.Ordered,
    exp.Distinct,
    exp.Filter,
    exp.WithinGroup,
    exp.IgnoreNulls,
    exp.RespectNulls,
    exp.HavingMax,
    exp.JSONPath,
    exp.JSONPathKey,
    exp.JSONPathRoot,
    exp.JSONPathSubscript,
    exp.JSONPathWildcard,
    exp.JSONPathSlice,
    exp.Select,
    exp.SetOperation,
    exp.Subquery,
    exp.From,
    exp.Join,
    exp.Where,
    exp.Group,
    exp.Having,
    exp.Limit,
    exp.Offset,
    exp.Fetch,
    exp.Qualify,
    exp.With,
    exp.CTE,
    exp.Table,
    exp.Lateral,
    exp.Values,
    exp.Pivot,
    exp.PivotAlias,
    exp.Cube,
    exp.Rollup,
    exp.GroupingSets,
    exp.TableSample,
    exp.Any,
    exp.All,
    exp.Exists,
    exp.Unnest,
    exp.Kwarg,
    exp.PropertyEQ,
    exp.Slice,
    exp.Struct,
    exp.Array,
    # literals of other spellings, and table hints of source dialects (T-SQL NOLOCK, MySQL
    # USE INDEX): they change how a table is read, not what
    exp.National,
    exp.RawString,
    exp.HexString,
    exp.BitString,
    exp.ByteString,
    exp.WithTableHint,
    exp.IndexTableHint,
)
#: characters that make a table name a path or a URL (DuckDB reads ``FROM 'x.csv'``)
_PATH_CHARS = frozenset("/\\:")


class SqlRefused(ValueError):
    """A construct the allow-list does not include; ``construct`` names it for the user."""

    def __init__(self, message: str, construct: str) -> None:
        super().__init__(message)
        self.construct = construct


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.this)
    return node.sql_name().lower()


def _allowed_function(node: exp.Func) -> bool:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower() in _ANONYMOUS_FUNCTIONS
    return type(node).__name__ in _FUNCTION_CLASSES


def _table_refusal(table: exp.Table) -> str | None:
    parts = [table.args.get(k) for k in ("this", "db", "catalog")]
    for part in parts:
        if part is None:
            continue
        if not isinstance(part, exp.Identifier):
            if isinstance(part, exp.Func):
                return None  # a table function: judged as a function
            return _("a table must be named, not given as {construct}").format(construct=part.sql())
        if any(c in _PATH_CHARS for c in part.name) or "." in part.name:
            return _("the table name {name!r} looks like a file or a URL").format(name=part.name)
    return None


def refusal(tree: exp.Expr) -> str | None:
    """Why ``tree`` is refused, or ``None`` when every construct in it is allowed."""
    for node in tree.walk():
        if isinstance(node, exp.Func) and not isinstance(node, exp.Unnest):
            if not _allowed_function(node):
                return _("the function {name!r} is not allowed").format(name=_function_name(node))
        elif isinstance(node, exp.Table):
            why = _table_refusal(node)
            if why:
                return why
        elif not isinstance(node, _NODES):
            return _("{construct} is not allowed").format(construct=node.key.upper())
    return None


def check_query(tree: exp.Expr) -> None:
    """Raise :class:`SqlRefused` unless ``tree`` is one query made only of allowed parts."""
    if not isinstance(tree, exp.Query):
        raise SqlRefused(
            _("only a SELECT query is allowed, not {statement}").format(statement=tree.key.upper()),
            tree.key,
        )
    why = refusal(tree)
    if why:
        raise SqlRefused(why, why)


def check_expression(tree: exp.Expr) -> None:
    """Raise :class:`SqlRefused` unless ``tree`` is made only of allowed parts."""
    why = refusal(tree)
    if why:
        raise SqlRefused(why, why)


@lru_cache(maxsize=1024)
def _source_refusal(text: str, dialect: str) -> str | None:
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    except SqlglotError as err:
        return _("cannot parse the query: {detail}").format(detail=str(err).splitlines()[0])
    if len(statements) != 1:
        return _("write exactly one SELECT statement, not {count}").format(count=len(statements))
    try:
        check_query(statements[0])
    except SqlRefused as err:
        return str(err)
    return None


def check_source_query(text: str, dialect: str) -> None:
    """Raise :class:`SqlRefused` unless ``text`` is one allowed SELECT in ``dialect``."""
    why = _source_refusal(text, dialect)
    if why:
        raise SqlRefused(why, why)


def locked_duckdb():  # type: ignore[no-untyped-def]
    """An in-memory DuckDB that reaches no file, no network and installs nothing.

    For describing user SQL at compile time: what it is asked runs over empty tables, and
    even a query that slipped past the allow-list could read nothing.
    """
    import duckdb

    con = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    con.execute("SET TimeZone = 'UTC'")  # as the local engine: TIMESTAMPTZ is UTC
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


#: allowed constructs written like functions that DuckDB does not list as functions
_SPECIAL_FORMS = ("cast", "coalesce", "try_cast")


@lru_cache(maxsize=1)
def function_names() -> tuple[str, ...]:
    """The functions an expression may call, as one writes them in DuckDB, sorted.

    The allow-list's sqlglot classes by their SQL names, and its anonymous functions, kept
    when DuckDB knows the name (what completion offers must also run).

    >>> {"upper", "coalesce", "round"} <= set(function_names())
    True
    >>> "read_text" in function_names()
    False
    """
    con = locked_duckdb()
    try:
        known = {
            row[0]
            for row in con.execute(
                "SELECT DISTINCT function_name FROM duckdb_functions()"
            ).fetchall()
        }
    finally:
        con.close()
    names = {a for a in _ANONYMOUS_FUNCTIONS if a in known}
    for class_name in _FUNCTION_CLASSES:
        cls = getattr(exp, class_name, None)
        if isinstance(cls, type) and issubclass(cls, exp.Func):
            names |= {n.lower() for n in cls.sql_names() if n.lower() in known}
    return tuple(sorted(names | set(_SPECIAL_FORMS)))
