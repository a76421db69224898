// File kinds: networks and sessions by their format field, the app's own exports recognised,
// anything else JSON-like reported as JSON, everything else read as a points CSV.
#include "file_kind.h"
#include "network.h"
#include "serialize.h"
#include "session.h"
#include "session_tables.h"

#include <doctest/doctest.h>

#include <string>

using namespace splinescope;

TEST_CASE("the app's own network and session exports are recognised from their text") {
  Session s;
  CHECK(detect_file_kind("net.json", network_to_json(s.network())) == FileKind::network);
  CHECK(detect_file_kind("anything.txt", network_to_json(s.network())) == FileKind::network);
  CHECK(detect_file_kind("s.json", session_to_json(s.config(), &s.network())) == FileKind::session);
  CHECK(detect_file_kind("", session_to_json(s.config())) == FileKind::session);
}

TEST_CASE("the points CSV and the all-points table are told apart by the header") {
  Session s;
  REQUIRE(s.add_point(0.5, 0.5, 1));
  CHECK(detect_file_kind("points.csv", s.user_points().to_csv()) == FileKind::points_csv);
  CHECK(detect_file_kind("data.csv", points_table_csv(s)) == FileKind::points_table);
  CHECK(detect_file_kind("p.csv", "# comment\n  X, Y, Label, Split, Source\n1,2,0,train,hand\n") ==
        FileKind::points_table);
  CHECK(detect_file_kind("p.csv", "1,2,0\n3,4,1\n") == FileKind::points_csv);
}

TEST_CASE("malformed JSON, other formats and JSON without a format are other JSON") {
  CHECK(detect_file_kind("net.json", "{\"format\": \"splinescope-network\", ") ==
        FileKind::other_json);
  CHECK(detect_file_kind("x.txt", "  {\"format\": \"something-else\"}") == FileKind::other_json);
  CHECK(detect_file_kind("x.txt", "[1, 2, 3]") == FileKind::other_json);
  CHECK(detect_file_kind("broken.json", "x,y,label\n1,2,0\n") == FileKind::other_json);
  CHECK(detect_file_kind("x", "{\"layers\": []}") == FileKind::other_json);
}

TEST_CASE("a blank file is empty whatever its name") {
  CHECK(detect_file_kind("a.json", "") == FileKind::empty);
  CHECK(detect_file_kind("a.csv", " \n\t\r\n") == FileKind::empty);
}
