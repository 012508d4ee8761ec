# procedure: parameters with defaults, OUTPUT, READONLY; options; body references
CREATE PROCEDURE [Website].[SearchForPeople]
@SearchText nvarchar(1000),
@MaximumRowsToReturn int = 10,
@Count int OUTPUT,
@Orders Website.OrderList READONLY
WITH EXECUTE AS OWNER, RECOMPILE
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE c CURSOR FOR SELECT 1;
    UPDATE p SET p.X = 1 FROM [Application].People AS p WHERE p.ID = 1;
    INSERT INTO dbo.Log (Msg) VALUES (N'x');
    EXEC dbo.Audit @SearchText;
    SELECT NEXT VALUE FOR Sequences.PersonID;
    SELECT * INTO #tmp FROM @Orders;
    FETCH NEXT FROM c INTO @Count;
    RETURN 0;
END;
GO
CREATE PROC p2 @a AS int = NULL AS SELECT @a
--
database ""
  schema Website
    procedure Website.SearchForPeople WITH(EXECUTE AS=OWNER, RECOMPILE) @1:1-18:5
      parameter @SearchText nvarchar(1000)
      parameter @MaximumRowsToReturn int = 10
      parameter @Count int OUTPUT
      parameter @Orders Website.OrderList READONLY
      body @8:1-18:5
      reads Application.People @11:31-11:51
      reads dbo.Log @12:17-12:24
      reads dbo.Audit @13:10-13:19
      reads Sequences.PersonID @14:27-14:45
  schema dbo
    procedure dbo.p2 @20:1-20:45
      parameter @a int = NULL
      body @20:36-20:45
statements
  0 CREATE PROCEDURE Website.SearchForPeople [applied] @1:1-18:5
  1 CREATE PROCEDURE p2 [applied] @20:1-20:45
==
# functions: scalar, inline table-valued, multi-statement table-valued, without AS
CREATE FUNCTION dbo.Add1 (@x int) RETURNS int WITH SCHEMABINDING AS BEGIN RETURN @x + 1 END
GO
CREATE FUNCTION [Application].[DetermineCustomerAccess](@CityID int)
RETURNS TABLE
WITH SCHEMABINDING
AS
RETURN (SELECT 1 AS AccessResult
        WHERE IS_ROLEMEMBER(N'db_owner') <> 0
        OR EXISTS (SELECT 1 FROM [Application].Cities AS c WHERE c.CityID = @CityID));
GO
CREATE FUNCTION dbo.Rows(@n int = 10)
RETURNS @t TABLE (ID int NOT NULL PRIMARY KEY, Name nvarchar(10) NULL)
BEGIN
  INSERT @t SELECT TOP (@n) ID, Name FROM dbo.Source
  RETURN
END
GO
CREATE OR ALTER FUNCTION dbo.Add1 (@x bigint) RETURNS bigint AS BEGIN RETURN @x + 2 END
--
database ""
  schema dbo
    scalar function dbo.Add1 RETURNS bigint @18:1-18:88
      parameter @x bigint
      body @18:65-18:88
    table function dbo.Rows RETURNS @t TABLE @11:1-16:4
      parameter @n int = 10
      column 1 ID int NOT NULL @12:19-12:46
      column 2 Name nvarchar(10) NULL @12:48-12:70
      body @13:1-16:4
      reads dbo.Source @14:43-14:53
  schema Application
    inline table function Application.DetermineCustomerAccess WITH(SCHEMABINDING) @3:1-9:87
      parameter @CityID int
      body @7:1-9:87
      reads Application.Cities @9:34-9:54
statements
  0 CREATE FUNCTION dbo.Add1 [applied] @1:1-1:92
  1 CREATE FUNCTION Application.DetermineCustomerAccess [applied] @3:1-9:87
  2 CREATE FUNCTION dbo.Rows [applied] @11:1-16:4
  3 CREATE OR ALTER FUNCTION dbo.Add1 [applied] @18:1-18:88
==
# triggers: table DML trigger with events, INSTEAD OF on a view, database DDL trigger
CREATE TABLE dbo.T (ID int)
GO
CREATE TRIGGER dbo.trg_T ON dbo.T WITH EXECUTE AS CALLER AFTER INSERT, UPDATE NOT FOR REPLICATION AS
BEGIN
  IF UPDATE(ID) INSERT INTO dbo.Audit SELECT ID FROM inserted
END
GO
CREATE TRIGGER trg_V ON dbo.V INSTEAD OF DELETE AS DELETE FROM dbo.T
GO
CREATE TRIGGER ddl_guard ON DATABASE FOR DROP_TABLE, ALTER_TABLE AS ROLLBACK
GO
DISABLE TRIGGER dbo.trg_T ON dbo.T
GO
ALTER TABLE dbo.T DISABLE TRIGGER ALL
--
database ""
  schema dbo
    table dbo.T @1:1-1:28
      column 1 ID int @1:21-1:27
      modified by @14:1-14:38
    trigger dbo.trg_T ON dbo.T AFTER INSERT, UPDATE DISABLED WITH(EXECUTE AS=CALLER, NOT FOR REPLICATION) @3:1-6:4
      body @4:1-6:4
      reads dbo.Audit @5:29-5:38
    trigger dbo.trg_V ON dbo.V INSTEAD OF DELETE @8:1-8:69
      body @8:52-8:69
      reads dbo.T @8:64-8:69
    trigger dbo.ddl_guard ON DATABASE AFTER DROP_TABLE, ALTER_TABLE @10:1-10:77
      body @10:69-10:77
statements
  0 CREATE TABLE dbo.T [applied] @1:1-1:28
  1 CREATE TRIGGER dbo.trg_T [applied] @3:1-6:4
  2 CREATE TRIGGER trg_V [applied] @8:1-8:69
  3 CREATE TRIGGER ddl_guard [applied] @10:1-10:77
  4 DISABLE TRIGGER @12:1-12:35
  5 ALTER TABLE dbo.T [applied] @14:1-14:38
==
# CLR procedure and dropping routines
CREATE PROCEDURE dbo.Clr @x int AS EXTERNAL NAME Asm.[Ns.Class].Method
GO
CREATE PROCEDURE dbo.Gone AS SELECT 1
GO
DROP PROCEDURE IF EXISTS dbo.Gone
--
database ""
  schema dbo
    clr routine dbo.Clr EXTERNAL NAME Asm.[Ns.Class].Method @1:1-1:71
      parameter @x int
      body @1:36-1:71
statements
  0 CREATE PROCEDURE dbo.Clr [applied] @1:1-1:71
  1 CREATE PROCEDURE dbo.Gone [applied] @3:1-3:38
  2 DROP PROCEDURE dbo.Gone [applied] @5:1-5:34
