# test and [
mkdir dir && printf x > file && : > empty && ln -s file sl && chmod 755 file
touch -d @100 old && touch -d @200 new
t test_n_abc '$B/test -n abc' <<'EOF'
[0]
EOF
t test_z___ '$B/test -z ""' <<'EOF'
[0]
EOF
t test_z_x '$B/test -z x' <<'EOF'
[1]
EOF
t testabc '$B/test abc' <<'EOF'
[0]
EOF
t test__ '$B/test ""' <<'EOF'
[1]
EOF
t test_f_file '$B/test -f file' <<'EOF'
[0]
EOF
t test_f_dir '$B/test -f dir' <<'EOF'
[1]
EOF
t test_d_dir '$B/test -d dir' <<'EOF'
[0]
EOF
t test_e_nosuch '$B/test -e nosuch' <<'EOF'
[1]
EOF
t test_s_file '$B/test -s file' <<'EOF'
[0]
EOF
t test_s_empty '$B/test -s empty' <<'EOF'
[1]
EOF
t test_L_sl '$B/test -L sl' <<'EOF'
[0]
EOF
t test_h_file '$B/test -h file' <<'EOF'
[1]
EOF
t test_x_file '$B/test -x file' <<'EOF'
[0]
EOF
t test_r_file '$B/test -r file' <<'EOF'
[0]
EOF
t test_w_file '$B/test -w file' <<'EOF'
[0]
EOF
t testa___a '$B/test a = a' <<'EOF'
[0]
EOF
t testa____b '$B/test a != b' <<'EOF'
[0]
EOF
t testa___b '$B/test a = b' <<'EOF'
[1]
EOF
t test1__eq_1 '$B/test 1 -eq 1' <<'EOF'
[0]
EOF
t test2__gt_10 '$B/test 2 -gt 10' <<'EOF'
[1]
EOF
t test2__lt_10 '$B/test 2 -lt 10' <<'EOF'
[0]
EOF
t test_5__le__5 '$B/test -5 -le -5' <<'EOF'
[0]
EOF
t test3__ne_4 '$B/test 3 -ne 4' <<'EOF'
[0]
EOF
t test5__ge_6 '$B/test 5 -ge 6' <<'EOF'
[1]
EOF
# GNU test 9.1 has no < and >; POSIX.1-2024 and the shells' builtins do.
t exo:test-str-gt '$B/test b \> a' <<'EOF'
[0]
EOF
t exo:test-str-lt '$B/test b \< a' <<'EOF'
[1]
EOF
t testnew__nt_old '$B/test new -nt old' <<'EOF'
[0]
EOF
t testnew__ot_old '$B/test new -ot old' <<'EOF'
[1]
EOF
t testfile__ef_sl '$B/test file -ef sl' <<'EOF'
[0]
EOF
t test___f_file '$B/test ! -f file' <<'EOF'
[1]
EOF
t test_f_file__a__d_dir '$B/test -f file -a -d dir' <<'EOF'
[0]
EOF
t test_f_dir__o__d_dir '$B/test -f dir -o -d dir' <<'EOF'
[0]
EOF
t test___a___b_____o_c___c '$B/test \( a = b \) -o c = c' <<'EOF'
[0]
EOF
t test_____1__eq_2___ '$B/test ! \( 1 -eq 2 \)' <<'EOF'
[0]
EOF
t test_n '$B/test -n' <<'EOF'
[0]
EOF
t test_ '$B/test !' <<'EOF'
[0]
EOF
t test___ '$B/test ! =' <<'EOF'
[1]
EOF
t test_____ '$B/test = = =' <<'EOF'
[0]
EOF
t testx__eq_1 '$B/test x -eq 1' <<'EOF'
[2]
EOF
t test1__eq '$B/test 1 -eq' <<'EOF'
[2]
EOF
t test___a '$B/test \( a' <<'EOF'
[2]
EOF
t testa__a_b__a___ '$B/test a -a b -a ""' <<'EOF'
[1]
EOF
t bracket-ok '$B/[ 1 -lt 2 ]' <<'EOF'
[0]
EOF
t bracket-missing '$B/[ 1 -lt 2' <<'EOF'
[2]
EOF
t bracket-empty '$B/[ ]' <<'EOF'
[1]
EOF
