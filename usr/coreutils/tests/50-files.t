# mkdir, rmdir, rm, cp, mv, ln
printf 'data\n' > src && chmod 640 src && touch -d @1234567890 src
t mkdir-plain 'mkdir d1 && test -d d1 && echo ok' <<'EOF'
ok
[0]
EOF
t mkdir-exists 'mkdir d1; mkdir d1' <<'EOF'
[1]
EOF
t mkdir-p 'mkdir -p p/q/r && mkdir -p p/q && ls -R p' <<'EOF'
p:
q

p/q:
r

p/q/r:
[0]
EOF
t mkdir-m 'mkdir -m 700 m1 && stat -c %a m1' <<'EOF'
700
[0]
EOF
t mkdir-m-sym 'mkdir -m u=rwx,g=rx m2 && stat -c %a m2' <<'EOF'
757
[0]
EOF
t mkdir-noparent 'mkdir x/y' <<'EOF'
[1]
EOF
t rmdir-plain 'mkdir r1 && rmdir r1 && test ! -e r1 && echo gone' <<'EOF'
gone
[0]
EOF
t rmdir-nonempty 'mkdir -p r2/x && rmdir r2' <<'EOF'
[1]
EOF
t rmdir-p 'mkdir -p r3/a/b && rmdir -p r3/a/b && test ! -e r3 && echo gone' <<'EOF'
gone
[0]
EOF
t rm-file 'cp src x && rm x && test ! -e x && echo gone' <<'EOF'
gone
[0]
EOF
t rm-missing 'rm nosuch' <<'EOF'
[1]
EOF
t rm-f 'rm -f nosuch; echo $?' <<'EOF'
0
[0]
EOF
t rm-dir 'mkdir rd && rm rd' <<'EOF'
[1]
EOF
t rm-r 'mkdir -p rr/a/b && touch rr/a/b/f rr/g && rm -r rr && test ! -e rr && echo gone' <<'EOF'
gone
[0]
EOF
t rm-dot 'rm -rf .' <<'EOF'
[1]
EOF
t cp-file 'cp src dst && cat dst && stat -c %a dst' <<'EOF'
data
640
[0]
EOF
t cp-into-dir 'mkdir cd && cp src cd && cat cd/src' <<'EOF'
data
[0]
EOF
t cp-multi 'mkdir cm && cp src src cm 2>/dev/null; cp src /dev/null cm; ls cm' <<'EOF'
null
src
[0]
EOF
t cp-p 'cp -p src dp && stat -c "%a %Y" dp' <<'EOF'
640 1234567890
[0]
EOF
t cp-nodir 'mkdir cn && cp cn cn2' <<'EOF'
[1]
EOF
t cp-r 'mkdir -p ct/a && echo x > ct/a/f && ln -s f ct/a/l && cp -r ct ct2 && ls -R ct2 && cat ct2/a/f && stat -c %F ct2/a/l' <<'EOF'
ct2:
a

ct2/a:
f
l
x
symbolic link
[0]
EOF
t cp-same 'cp src src' <<'EOF'
[1]
EOF
t cp-missing 'cp nosuch x' <<'EOF'
[1]
EOF
t cp-notdir 'cp src src x' <<'EOF'
[1]
EOF
t mv-rename 'cp src a && mv a b && cat b && test ! -e a && echo gone' <<'EOF'
data
gone
[0]
EOF
t mv-into 'mkdir md && cp src a && mv a md && ls md' <<'EOF'
a
[0]
EOF
t mv-dir 'mkdir -p m1/x && mv m1 m2 && ls m2' <<'EOF'
m1
[0]
EOF
t mv-keeps-mode 'cp -p src a && mv a b && stat -c "%a %Y" b' <<'EOF'
640 1234567890
[0]
EOF
t mv-over 'echo 1 > o1 && echo 2 > o2 && mv o1 o2 && cat o2' <<'EOF'
1
[0]
EOF
t mv-missing 'mv nosuch x' <<'EOF'
[1]
EOF
t ln-hard 'ln src h && stat -c %h src h' <<'EOF'
2
2
[0]
EOF
t ln-s 'ln -s src s && readlink_like() { stat -c %N "$1"; }; readlink_like s; cat s' <<'EOF'
's' -> 'src'
data
[0]
EOF
t ln-s-dir 'mkdir ld && ln -s ../src ld && cat ld/src' <<'EOF'
data
[0]
EOF
t ln-exists 'ln -s a e1 && ln -s b e1' <<'EOF'
[1]
EOF
t ln-f 'ln -s a e2 && ln -sf b e2 && stat -c %N e2' <<'EOF'
'e2' -> 'b'
[0]
EOF
t ln-dangling 'ln -s nowhere dl && test -L dl && test ! -e dl && echo dangling' <<'EOF'
dangling
[0]
EOF
