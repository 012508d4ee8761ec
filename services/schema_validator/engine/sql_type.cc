// SQL Server type parsing, defaults, families and storage sizes. Sizes follow Microsoft's
// "Estimate the size of a heap" and data-type pages (decimal 5/9/13/17 bytes by precision,
// datetime2 6/7/8 by scale, ...).
#include "services/schema_validator/engine/sql_type.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/base/strings.h"

namespace sqlmill::validator {
namespace {

struct TypeEntry {
  const char* name;
  TypeFamily family;
};

constexpr TypeEntry kTypes[] = {
    {"bit", TypeFamily::kBoolean},
    {"tinyint", TypeFamily::kInteger},
    {"smallint", TypeFamily::kInteger},
    {"int", TypeFamily::kInteger},
    {"bigint", TypeFamily::kInteger},
    {"decimal", TypeFamily::kExactNumeric},
    {"numeric", TypeFamily::kExactNumeric},
    {"money", TypeFamily::kMoney},
    {"smallmoney", TypeFamily::kMoney},
    {"float", TypeFamily::kApproxNumeric},
    {"real", TypeFamily::kApproxNumeric},
    {"date", TypeFamily::kDate},
    {"time", TypeFamily::kTime},
    {"datetime", TypeFamily::kDateTime},
    {"datetime2", TypeFamily::kDateTime},
    {"smalldatetime", TypeFamily::kDateTime},
    {"datetimeoffset", TypeFamily::kDateTimeOffset},
    {"char", TypeFamily::kString},
    {"varchar", TypeFamily::kString},
    {"text", TypeFamily::kString},
    {"nchar", TypeFamily::kUnicodeString},
    {"nvarchar", TypeFamily::kUnicodeString},
    {"ntext", TypeFamily::kUnicodeString},
    {"binary", TypeFamily::kBinary},
    {"varbinary", TypeFamily::kBinary},
    {"image", TypeFamily::kBinary},
    {"uniqueidentifier", TypeFamily::kGuid},
    {"xml", TypeFamily::kXml},
    {"json", TypeFamily::kJson},
    {"sql_variant", TypeFamily::kVariant},
    {"geography", TypeFamily::kSpatial},
    {"geometry", TypeFamily::kSpatial},
    {"hierarchyid", TypeFamily::kHierarchy},
    {"rowversion", TypeFamily::kRowVersion},
    {"timestamp", TypeFamily::kRowVersion},
    {"cursor", TypeFamily::kCursor},
    {"table", TypeFamily::kTable},
    {"sysname", TypeFamily::kUnicodeString},
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Splits type text into words, bracketed names, numbers and punctuation.
absl::StatusOr<std::vector<std::string>> Tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsSpace(c)) {
      ++i;
    } else if (c == '[' || c == '"') {
      const char close = c == '[' ? ']' : '"';
      std::string word;
      ++i;
      while (true) {
        if (i >= text.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("unterminated quoted name in type '", AsAbsl(text), "'"));
        }
        if (text[i] == close) {
          if (i + 1 < text.size() && text[i + 1] == close) {
            word.push_back(close);
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        word.push_back(text[i++]);
      }
      tokens.push_back("\x01" + word);  // marks a quoted name: never a keyword
    } else if (c == '(' || c == ')' || c == ',' || c == '.') {
      tokens.emplace_back(1, c);
      ++i;
    } else {
      size_t start = i;
      while (i < text.size() && !IsSpace(text[i]) && text[i] != '(' && text[i] != ')' &&
             text[i] != ',' && text[i] != '.' && text[i] != '[' && text[i] != '"') {
        ++i;
      }
      tokens.emplace_back(text.substr(start, i - start));
    }
  }
  return tokens;
}

bool IsQuoted(const std::string& token) { return !token.empty() && token[0] == '\x01'; }
std::string Unquote(const std::string& token) { return IsQuoted(token) ? token.substr(1) : token; }

bool ParseInt(std::string_view s, int64_t* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Multi-word ANSI spellings SQL Server accepts, longest first.
struct Synonym {
  std::vector<std::string> words;
  const char* name;
};
const std::vector<Synonym>& Synonyms() {
  static const auto* kSynonyms = new std::vector<Synonym>{
      {{"national", "character", "varying"}, "nvarchar"},
      {{"national", "char", "varying"}, "nvarchar"},
      {{"character", "varying"}, "varchar"},
      {{"char", "varying"}, "varchar"},
      {{"binary", "varying"}, "varbinary"},
      {{"national", "character"}, "nchar"},
      {{"national", "char"}, "nchar"},
      {{"national", "text"}, "ntext"},
      {{"double", "precision"}, "float"},
      {{"character"}, "char"},
      {{"integer"}, "int"},
      {{"dec"}, "decimal"},
  };
  return *kSynonyms;
}

}  // namespace

TypeFamily FamilyOf(std::string_view type_name) {
  static const auto* kByName = [] {
    auto* m = new absl::flat_hash_map<std::string, TypeFamily>();
    for (const TypeEntry& e : kTypes) m->emplace(e.name, e.family);
    return m;
  }();
  auto it = kByName->find(AsAbsl(type_name));
  return it == kByName->end() ? TypeFamily::kUnknown : it->second;
}

bool IsBuiltinType(std::string_view type_name) { return FamilyOf(type_name) != TypeFamily::kUnknown; }

const std::vector<std::string>& BuiltinTypeNames() {
  static const auto* kNames = [] {
    auto* names = new std::vector<std::string>();
    for (const TypeEntry& e : kTypes) names->emplace_back(e.name);
    return names;
  }();
  return *kNames;
}

bool IsDeprecatedType(std::string_view type_name) {
  return type_name == "text" || type_name == "ntext" || type_name == "image" ||
         type_name == "timestamp";
}

bool IsLargeObject(const tsql::DataType& type) {
  if (type.is_max) return true;
  const std::string& n = type.name;
  return n == "text" || n == "ntext" || n == "image" || n == "xml" || n == "geography" ||
         n == "geometry" || n == "json";
}

absl::StatusOr<tsql::DataType> ParseTypeText(std::string_view text) {
  auto tokens_or = Tokenize(text);
  if (!tokens_or.ok()) return tokens_or.status();
  std::vector<std::string> tokens = std::move(*tokens_or);
  if (tokens.empty()) return absl::InvalidArgumentError("empty type name");
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed type '", AsAbsl(text), "': ", AsAbsl(why)));
  };

  tsql::DataType type;
  size_t i = 0;
  // The name: up to three dotted parts; or a multi-word ANSI synonym.
  std::vector<std::string> parts;
  bool quoted_name = false;
  for (const Synonym& syn : Synonyms()) {
    if (syn.words.size() > tokens.size()) continue;
    bool match = true;
    for (size_t k = 0; k < syn.words.size(); ++k) {
      if (IsQuoted(tokens[k]) || tsql::ToLowerAscii(tokens[k]) != syn.words[k]) {
        match = false;
        break;
      }
    }
    if (match) {
      parts.push_back(syn.name);
      i = syn.words.size();
      if (std::string_view(syn.name) == "float" && syn.words.size() == 2) {
        type.precision = 53;
        type.has_precision = true;
      }
      break;
    }
  }
  if (parts.empty()) {
    while (i < tokens.size()) {
      const std::string& t = tokens[i];
      if (t == "(" || t == ")" || t == "," || t == ".") return bad("expected a name");
      quoted_name = quoted_name || IsQuoted(t);
      parts.push_back(Unquote(t));
      ++i;
      if (i < tokens.size() && tokens[i] == ".") {
        ++i;
        continue;
      }
      break;
    }
  }
  if (parts.empty() || parts.size() > 2) return bad("expected [schema.]name");
  if (parts.size() == 2) {
    type.schema = parts[0];
    type.name = parts[1];
    type.is_user_defined = !(tsql::EqualsIgnoreCase(parts[0], "sys") &&
                             IsBuiltinType(tsql::ToLowerAscii(parts[1])));
    if (!type.is_user_defined) {
      type.schema.clear();
      type.name = tsql::ToLowerAscii(parts[1]);
    }
  } else {
    const std::string lower = tsql::ToLowerAscii(parts[0]);
    if (IsBuiltinType(lower)) {
      type.name = lower;
    } else {
      type.name = parts[0];
      type.is_user_defined = true;
    }
  }
  (void)quoted_name;

  if (i < tokens.size()) {
    if (tokens[i] != "(") return bad("expected '(' after the type name");
    ++i;
    std::vector<std::string> args;
    std::string current;
    while (i < tokens.size() && tokens[i] != ")") {
      if (tokens[i] == ",") {
        args.push_back(current);
        current.clear();
      } else {
        const bool dot = tokens[i] == ".";
        if (!current.empty() && !dot && current.back() != '.') current.push_back(' ');
        current += Unquote(tokens[i]);
      }
      ++i;
    }
    if (i >= tokens.size()) return bad("expected ')'");
    args.push_back(current);
    ++i;
    if (i != tokens.size()) return bad("unexpected text after ')'");
    if (type.name == "xml") {
      // xml(CONTENT dbo.Schema) / xml(DOCUMENT dbo.Schema) / xml(dbo.Schema)
      std::string arg = args[0];
      for (const char* kw : {"content ", "document "}) {
        if (tsql::ToLowerAscii(arg).rfind(kw, 0) == 0) arg = arg.substr(std::string(kw).size());
      }
      type.xml_schema_collection = arg;
    } else {
      if (args.size() > 2) return bad("expected at most two arguments");
      const TypeFamily family = FamilyOf(type.name);
      const bool precision_scale = family == TypeFamily::kExactNumeric;
      const bool scale_only = family == TypeFamily::kTime || family == TypeFamily::kDateTimeOffset ||
                              type.name == "datetime2";
      for (size_t k = 0; k < args.size(); ++k) {
        const std::string lower = tsql::ToLowerAscii(args[k]);
        int64_t value = 0;
        if (lower == "max") {
          if (k != 0 || precision_scale || scale_only) return bad("'max' is not allowed here");
          type.is_max = true;
          continue;
        }
        if (!ParseInt(lower, &value) || value < 0) {
          return bad(absl::StrCat("expected a number or 'max' but found '", args[k], "'"));
        }
        if (precision_scale) {
          if (k == 0) {
            type.precision = static_cast<int32_t>(value);
            type.has_precision = true;
          } else {
            type.scale = static_cast<int32_t>(value);
            type.has_scale = true;
          }
        } else if (scale_only) {
          if (k > 0) return bad("expected one argument");
          type.scale = static_cast<int32_t>(value);
          type.has_scale = true;
        } else if (type.name == "float") {
          if (k > 0) return bad("expected one argument");
          type.precision = static_cast<int32_t>(value);
          type.has_precision = true;
        } else {
          if (k > 0) return bad("expected one argument");
          type.length = value;
        }
      }
    }
  }
  type.text = CanonicalTypeText(type);
  return type;
}

tsql::DataType NormalizeType(const tsql::DataType& in) {
  tsql::DataType t = in;
  if (t.is_user_defined) return t;
  const std::string& n = t.name;
  if (n == "sysname") {
    t.name = "nvarchar";
    t.length = 128;
    t.is_max = false;
  } else if (n == "decimal" || n == "numeric") {
    if (!t.has_precision || t.precision == 0) {
      t.precision = 18;
      t.has_precision = true;
    }
    if (!t.has_scale) {
      t.scale = 0;
      t.has_scale = true;
    }
  } else if (n == "float") {
    if (!t.has_precision || t.precision == 0) {
      t.precision = 53;
      t.has_precision = true;
    }
  } else if (n == "datetime2" || n == "time" || n == "datetimeoffset") {
    if (!t.has_scale) {
      t.scale = 7;
      t.has_scale = true;
    }
  } else if (n == "char" || n == "varchar" || n == "nchar" || n == "nvarchar" || n == "binary" ||
             n == "varbinary") {
    if (!t.is_max && t.length == 0) t.length = 1;
  }
  t.text = CanonicalTypeText(t);
  return t;
}

std::string CanonicalTypeText(const tsql::DataType& t) {
  std::string out;
  if (t.is_user_defined && !t.schema.empty()) out = absl::StrCat(t.schema, ".");
  out += t.name;
  if (t.name == "xml" && !t.xml_schema_collection.empty()) {
    absl::StrAppend(&out, "(CONTENT ", t.xml_schema_collection, ")");
  } else if (t.is_max) {
    out += "(max)";
  } else if (t.has_precision && t.has_scale) {
    absl::StrAppend(&out, "(", t.precision, ",", t.scale, ")");
  } else if (t.has_precision) {
    absl::StrAppend(&out, "(", t.precision, ")");
  } else if (t.has_scale) {
    absl::StrAppend(&out, "(", t.scale, ")");
  } else if (t.length > 0) {
    absl::StrAppend(&out, "(", t.length, ")");
  }
  return out;
}

RowStorage StorageOf(const tsql::DataType& t) {
  RowStorage s;
  const std::string& n = t.name;
  auto fixed = [&](int64_t bytes) {
    s.fixed_bytes = bytes;
    return s;
  };
  auto variable = [&](int64_t bytes) {
    s.variable = true;
    s.variable_max_bytes = bytes;
    return s;
  };
  constexpr int64_t kLobPointer = 24;
  if (t.is_user_defined) {
    s.known = false;
    return s;
  }
  if (n == "bit") {
    s.bit = true;
    return s;
  }
  if (n == "tinyint") return fixed(1);
  if (n == "smallint") return fixed(2);
  if (n == "int" || n == "smallmoney" || n == "real" || n == "smalldatetime") return fixed(4);
  if (n == "bigint" || n == "money" || n == "datetime" || n == "rowversion" || n == "timestamp") {
    return fixed(8);
  }
  if (n == "decimal" || n == "numeric") {
    const int p = t.precision == 0 ? 18 : t.precision;
    return fixed(p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17);
  }
  if (n == "float") return fixed(t.has_precision && t.precision > 0 && t.precision <= 24 ? 4 : 8);
  if (n == "date") return fixed(3);
  const int scale = t.has_scale ? t.scale : 7;
  if (n == "time") return fixed(scale <= 2 ? 3 : scale <= 4 ? 4 : 5);
  if (n == "datetime2") return fixed(scale <= 2 ? 6 : scale <= 4 ? 7 : 8);
  if (n == "datetimeoffset") return fixed(scale <= 2 ? 8 : scale <= 4 ? 9 : 10);
  if (n == "uniqueidentifier") return fixed(16);
  const int64_t len = t.length == 0 ? 1 : t.length;
  if (n == "char" || n == "binary") return fixed(len);
  if (n == "nchar") return fixed(2 * len);
  if (n == "varchar" || n == "varbinary") return variable(t.is_max ? kLobPointer : len);
  if (n == "nvarchar") return variable(t.is_max ? kLobPointer : 2 * len);
  if (n == "sysname") return variable(256);
  if (n == "text" || n == "ntext" || n == "image" || n == "xml" || n == "geography" ||
      n == "geometry" || n == "json") {
    return variable(kLobPointer);
  }
  if (n == "sql_variant") return variable(8016);
  if (n == "hierarchyid") return variable(892);
  s.known = false;
  return s;
}

int IntegerDigits(std::string_view n) {
  if (n == "tinyint") return 3;
  if (n == "smallint") return 5;
  if (n == "int") return 10;
  if (n == "bigint") return 19;
  return 0;
}

}  // namespace sqlmill::validator
