echo 'single $HOME `x` "q" \n'
echo 'a'b'c'
echo ''
echo '' | wc -c
x='it'\''s'
echo "$x"
