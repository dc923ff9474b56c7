# clips.awk — write facts as CLIPS deffacts, 50 facts to a deffacts.
# CLIPS 6.30 takes time quadratic in the size of one deffacts to parse it
# (4,000 facts in one deffacts: 42 s to load; in blocks of 50: well under
# a second), so a long list is split into NAME-1, NAME-2, ..., which
# (reset) asserts in the order they were defined. Writes to the file named
# by the global cw.
function clp_begin(name) { _clp_name = name; _clp_n = 0; _clp_block = 0 }
function clp_fact(text) {
    if (_clp_n % 50 == 0) {
        if (_clp_n > 0) print ")" > cw
        printf "(deffacts %s-%d\n", _clp_name, ++_clp_block > cw
    }
    print "   " text > cw
    _clp_n++
}
function clp_end() { if (_clp_n > 0) print ")" > cw }
