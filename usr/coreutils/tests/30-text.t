# grep, sort, uniq, cut, tr
printf 'apple\nBanana\ncherry\napple pie\ndate\n' > fruit
printf '10\n9\n100\n-1\n9\n' > nums
printf 'b 2\na 10\nc 1\na 3\n' > kv
printf 'root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\n' > pw
mkdir -p d/sub && echo 'needle here' > d/sub/x && echo 'no' > d/y
t grep-basic 'grep apple fruit' <<'EOF'
apple
apple pie
[0]
EOF
t grep-i 'grep -i banana fruit' <<'EOF'
Banana
[0]
EOF
t grep-v 'grep -v a fruit' <<'EOF'
cherry
[0]
EOF
t grep-c 'grep -c an fruit' <<'EOF'
1
[0]
EOF
t grep-n 'grep -n e fruit' <<'EOF'
1:apple
3:cherry
4:apple pie
5:date
[0]
EOF
t grep-l 'grep -l apple fruit pw' <<'EOF'
fruit
[0]
EOF
t grep-q 'grep -q cherry fruit' <<'EOF'
[0]
EOF
t grep-nomatch 'grep kiwi fruit' <<'EOF'
[1]
EOF
t grep-missing 'grep -s kiwi nosuch' <<'EOF'
[2]
EOF
t grep-bre 'grep "^a.*e$" fruit' <<'EOF'
apple
apple pie
[0]
EOF
t grep-bre-group 'grep "\\(an\\)\\{2\\}" fruit' <<'EOF'
Banana
[0]
EOF
t grep-ere 'grep -E "^(date|cherry)$" fruit' <<'EOF'
cherry
date
[0]
EOF
t grep-F 'grep -F "a.p" fruit; echo x.a.p | grep -F "a.p"' <<'EOF'
x.a.p
[0]
EOF
t grep-x 'grep -x apple fruit' <<'EOF'
apple
[0]
EOF
t grep-w 'grep -w pie fruit' <<'EOF'
apple pie
[0]
EOF
t grep-e-multi 'grep -e date -e cherry fruit' <<'EOF'
cherry
date
[0]
EOF
t grep-multi-file 'grep root pw fruit' <<'EOF'
pw:root:x:0:0:root:/root:/bin/sh
[0]
EOF
t grep-h 'grep -h root pw fruit' <<'EOF'
root:x:0:0:root:/root:/bin/sh
[0]
EOF
t grep-r 'grep -r needle d' <<'EOF'
d/sub/x:needle here
[0]
EOF
t grep-stdin 'cat fruit | grep -c a' <<'EOF'
4
[0]
EOF
t sort-plain 'sort fruit' <<'EOF'
Banana
apple
apple pie
cherry
date
[0]
EOF
t sort-r 'sort -r fruit' <<'EOF'
date
cherry
apple pie
apple
Banana
[0]
EOF
t sort-n 'sort -n nums' <<'EOF'
-1
9
9
10
100
[0]
EOF
t sort-nr 'sort -nr nums' <<'EOF'
100
10
9
9
-1
[0]
EOF
t sort-u 'sort -u nums' <<'EOF'
-1
10
100
9
[0]
EOF
t sort-nu 'sort -nu nums' <<'EOF'
-1
9
10
100
[0]
EOF
t sort-k 'sort -k 2n kv' <<'EOF'
c 1
b 2
a 3
a 10
[0]
EOF
t sort-k1 'sort -k 1,1 -k 2nr kv' <<'EOF'
a 10
a 3
b 2
c 1
[0]
EOF
t sort-t 'sort -t : -k 3n pw' <<'EOF'
root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
[0]
EOF
t sort-f 'sort -f fruit' <<'EOF'
apple
apple pie
Banana
cherry
date
[0]
EOF
t uniq-plain 'sort nums | uniq' <<'EOF'
-1
10
100
9
[0]
EOF
t uniq-c 'sort nums | uniq -c' <<'EOF'
      1 -1
      1 10
      1 100
      2 9
[0]
EOF
t uniq-d 'sort nums | uniq -d' <<'EOF'
9
[0]
EOF
t uniq-u 'sort nums | uniq -u' <<'EOF'
-1
10
100
[0]
EOF
t cut-f 'cut -d : -f 1,7 pw' <<'EOF'
root:/bin/sh
bin:/sbin/nologin
[0]
EOF
t cut-f-range 'cut -d : -f 3- pw' <<'EOF'
0:0:root:/root:/bin/sh
1:1:bin:/bin:/sbin/nologin
[0]
EOF
t cut-c 'cut -c 1-3,6 fruit' <<'EOF'
app
Bana
chey
app 
dat
[0]
EOF
t cut-nodelim 'printf "a\tb\nplain\n" | cut -f 2' <<'EOF'
b
plain
[0]
EOF
t cut-s 'printf "a\tb\nplain\n" | cut -s -f 2' <<'EOF'
b
[0]
EOF
t cut-to 'cut -d : -f -2 pw' <<'EOF'
root:x
bin:x
[0]
EOF
t tr-upper 'tr a-z A-Z < fruit' <<'EOF'
APPLE
BANANA
CHERRY
APPLE PIE
DATE
[0]
EOF
t tr-class 'tr "[:lower:]" "[:upper:]" < fruit' <<'EOF'
APPLE
BANANA
CHERRY
APPLE PIE
DATE
[0]
EOF
t tr-d 'tr -d aeiou < fruit' <<'EOF'
ppl
Bnn
chrry
ppl p
dt
[0]
EOF
t tr-s 'echo "aaabbbccc   d" | tr -s "a "' <<'EOF'
abbbccc d
[0]
EOF
t tr-short-set2 'echo abcdef | tr a-f xy' <<'EOF'
xyyyyy
[0]
EOF
t tr-c 'echo "hello, world!" | tr -c a-z _' <<'EOF'
hello__world__[0]
EOF
t tr-cd 'echo "a1b2c3" | tr -cd 0-9; echo' <<'EOF'
123
[0]
EOF
t tr-esc 'printf "a b\n" | tr " " "\n"' <<'EOF'
a
b
[0]
EOF
t tr-repeat 'echo abcd | tr abcd "[x*]"' <<'EOF'
xxxx
[0]
EOF
t tr-ds 'echo "aabbcc" | tr -ds a b' <<'EOF'
bcc
[0]
EOF
