: > b2; : > a10; : > a2; : > B1
echo *
echo [a-b]*
mkdir -p x/y; : > x/y/z1; : > x/y/z2
echo x/*/z*
echo */
